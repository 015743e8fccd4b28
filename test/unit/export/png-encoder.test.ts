import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { inflateSync } from 'node:zlib';
import { blankScanlines, encodePng, encodePngSync } from '../../../src-main/core/masks/png';
import { DAVIS_PALETTE, paletteColor } from '../../../src-main/core/export/davis-palette';

// Chunks of a PNG file, read with nothing but the spec (length, type, data, crc).
function chunks(png: Buffer): { type: string; data: Buffer }[] {
  const out: { type: string; data: Buffer }[] = [];
  let p = 8;
  while (p < png.length) {
    const len = png.readUInt32BE(p);
    out.push({ type: png.toString('latin1', p + 4, p + 8), data: png.subarray(p + 8, p + 8 + len) });
    p += 12 + len;
  }
  return out;
}

describe('PNG encoder', () => {
  it('writes 8-bit greyscale that pngjs decodes to the painted pixels', async () => {
    const w = 13;
    const h = 7;
    const rows = blankScanlines(w, h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if ((x * y) % 3 === 1) rows[y * (w + 1) + 1 + x] = 255;
    const png = await encodePng({ width: w, height: h, scanlines: rows });
    expect(png.equals(encodePngSync({ width: w, height: h, scanlines: rows }))).toBe(true);
    const ihdr = chunks(png).find((c) => c.type === 'IHDR')!.data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9]]).toEqual([w, h, 8, 0]);
    const decoded = PNG.sync.read(png);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) expect(decoded.data[(y * w + x) * 4]).toBe((x * y) % 3 === 1 ? 255 : 0);
  });

  it('writes indexed colour with the full DAVIS palette; indices survive decoding', () => {
    const w = 6;
    const h = 2;
    const rows = blankScanlines(w, h);
    const idx = [0, 1, 2, 3, 4, 255, 7, 7, 0, 9, 200, 1];
    idx.forEach((v, i) => (rows[Math.floor(i / w) * (w + 1) + 1 + (i % w)] = v));
    const png = encodePngSync({ width: w, height: h, scanlines: rows, palette: DAVIS_PALETTE });
    const cs = chunks(png);
    expect(cs.map((c) => c.type)).toEqual(['IHDR', 'PLTE', 'IDAT', 'IEND']);
    expect(cs[0]!.data[9]).toBe(3);
    expect(cs[1]!.data.length).toBe(768);
    // raw indices straight from the inflated scanlines (filter byte 0 then one byte per pixel)
    const raw = inflateSync(cs[2]!.data);
    expect(Array.from({ length: w * h }, (_, i) => raw[Math.floor(i / w) * (w + 1) + 1 + (i % w)])).toEqual(idx);
    // and an independent decoder maps them through the palette
    const decoded = PNG.sync.read(png);
    idx.forEach((v, i) => expect(Array.from(decoded.data.subarray(i * 4, i * 4 + 3))).toEqual(paletteColor(v)));
  });

  it('refuses scanline buffers of the wrong size', () => {
    expect(() => encodePngSync({ width: 4, height: 4, scanlines: Buffer.alloc(16) })).toThrow(/hold 16 bytes, expected 20/);
  });
});

describe('DAVIS palette', () => {
  it.each([
    [0, [0, 0, 0]],
    [1, [128, 0, 0]],
    [2, [0, 128, 0]],
    [3, [128, 128, 0]],
    [4, [0, 0, 128]],
    [5, [128, 0, 128]],
    [7, [128, 128, 128]],
    [8, [64, 0, 0]],
    [255, [224, 224, 192]],
  ])('entry %i is %j', (i, rgb) => {
    expect(paletteColor(i)).toEqual(rgb);
  });
});
