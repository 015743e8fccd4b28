// The PNG reader against our writer and pngjs: every colour type and filter it meets, and the
// damaged files it must refuse (truncated, bad CRC, no IEND).
import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { blankScanlines, encodeBinaryMaskPng, encodePngSync } from '../../../src-main/core/masks/png';
import { decodePng } from '../../../src-main/core/masks/png-read';
import { DAVIS_PALETTE } from '../../../src-main/core/export/davis-palette';

const W = 7;
const H = 5;
const mask = Uint8Array.from({ length: W * H }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0));

describe('decodePng', () => {
  it('reads our binary masks and palette PNGs back exactly', async () => {
    const grey = decodePng(await encodeBinaryMaskPng(mask, W, H));
    expect(grey).toMatchObject({ width: W, height: H, colorType: 0 });
    expect(Array.from(grey.values)).toEqual(Array.from(mask, (v) => v * 255));
    const s = blankScanlines(W, H);
    for (let i = 0; i < W * H; i++) s[Math.floor(i / W) * (W + 1) + 1 + (i % W)] = i % 5;
    const pal = decodePng(encodePngSync({ width: W, height: H, scanlines: s, palette: DAVIS_PALETTE }));
    expect(pal.colorType).toBe(3);
    expect(Array.from(pal.values)).toEqual(Array.from({ length: W * H }, (_, i) => i % 5));
  });

  it.each([
    ['RGBA', 6, 8],
    ['RGB', 2, 8],
    ['grey', 0, 8],
    ['grey+alpha', 4, 8],
  ])('reads pngjs %s output (filtered rows) as the largest channel', (_n, colorType, bitDepth) => {
    const png = new PNG({ width: W, height: H, colorType: colorType as 0 | 2 | 4 | 6, bitDepth: bitDepth as 8, inputColorType: 6, inputHasAlpha: true });
    for (let i = 0; i < W * H; i++) png.data.set(mask[i] ? [200, 200, 200, 255] : [0, 0, 0, 255], i * 4);
    const d = decodePng(PNG.sync.write(png, { colorType: colorType as 0 | 2 | 4 | 6, inputColorType: 6, inputHasAlpha: true }));
    expect(Array.from(d.values, (v) => (v ? 1 : 0))).toEqual(Array.from(mask));
  });

  it.each([
    ['cut in the middle', (b: Buffer) => b.subarray(0, Math.floor(b.length / 2)), /truncated/],
    ['without IEND', (b: Buffer) => b.subarray(0, b.length - 12), /ends before its IEND/],
    [
      'with a flipped byte',
      (b: Buffer) => {
        const c = Buffer.from(b);
        c[40] ^= 0xff;
        return c;
      },
      /CRC/,
    ],
    ['not a PNG', () => Buffer.from('hello, world'), /not a PNG/],
  ] as [string, (b: Buffer) => Buffer, RegExp][])('refuses a file %s', async (_n, damage, why) => {
    const good = await encodeBinaryMaskPng(mask, W, H);
    expect(() => decodePng(damage(good))).toThrow(why);
  });
});
