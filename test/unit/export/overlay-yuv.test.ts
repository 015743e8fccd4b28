import { describe, expect, it } from 'vitest';
import { blackLuma, padYuv420ToEven, rgbToYcbcr, yuv420Layout } from '../../../src-main/core/export/yuv420';

describe('rgbToYcbcr', () => {
  // reference values: ITU-R BT.601 / BT.709 / BT.2020 studio range, and JPEG (JFIF) full range
  it.each([
    [[0, 0, 0], 'bt601', 'limited', [16, 128, 128]],
    [[255, 255, 255], 'bt601', 'limited', [235, 128, 128]],
    [[0, 255, 0], 'bt601', 'limited', [145, 54, 34]],
    [[255, 0, 0], 'bt601', 'limited', [81, 90, 240]],
    [[0, 0, 255], 'bt601', 'limited', [41, 240, 110]],
    [[0, 255, 0], 'bt709', 'limited', [173, 42, 26]],
    [[255, 0, 0], 'bt709', 'limited', [63, 102, 240]],
    [[0, 0, 255], 'bt709', 'limited', [32, 240, 118]],
    [[0, 255, 0], 'bt2020', 'limited', [164, 47, 25]],
    [[0, 0, 0], 'bt601', 'full', [0, 128, 128]],
    [[255, 255, 255], 'bt601', 'full', [255, 128, 128]],
    [[0, 255, 0], 'bt601', 'full', [150, 44, 21]],
    [[0, 0, 255], 'bt601', 'full', [29, 255, 107]],
    [[128, 128, 128], 'bt709', 'full', [128, 128, 128]],
  ] as const)('%j in %s %s → %j', (rgb, matrix, range, want) => {
    expect(rgbToYcbcr([...rgb], matrix, range)).toEqual(want);
  });

  it.each([
    ['limited', 16],
    ['full', 0],
  ] as const)('black luma in %s range is %i', (range, y) => expect(blackLuma(range)).toBe(y));
});

describe('yuv420Layout', () => {
  it.each([
    [1920, 1080, 960, 540, 1920 * 1080 * 1.5],
    [320, 240, 160, 120, 115200],
    [75, 51, 38, 26, 75 * 51 + 2 * 38 * 26],
    [1, 1, 1, 1, 3],
  ])('%i×%i: chroma %i×%i, %i bytes', (w, h, cw, ch, bytes) => {
    const l = yuv420Layout(w, h);
    expect([l.chromaWidth, l.chromaHeight, l.bytes]).toEqual([cw, ch, bytes]);
    expect([l.uOffset, l.vOffset]).toEqual([w * h, w * h + cw * ch]);
  });

  it('refuses sizes that are not positive integers', () => {
    expect(() => yuv420Layout(0, 10)).toThrow(/positive integer size, got 0×10/);
    expect(() => yuv420Layout(10.5, 10)).toThrow(/10.5×10/);
  });
});

describe('padYuv420ToEven', () => {
  it('adds a black luma column and row and keeps every source byte where it was', () => {
    // 3×3: Y 1..9, Cb 2×2 of 20.., Cr 2×2 of 30..
    const src = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 21, 22, 23, 30, 31, 32, 33]);
    const out = padYuv420ToEven(src, 3, 3, 'limited');
    expect(Array.from(out)).toEqual([1, 2, 3, 16, 4, 5, 6, 16, 7, 8, 9, 16, 16, 16, 16, 16, 20, 21, 22, 23, 30, 31, 32, 33]);
    expect(out.length).toBe(yuv420Layout(4, 4).bytes);
  });

  it('pads only the odd side, with full-range black for full-range frames', () => {
    const src = Uint8Array.from([1, 2, 3, 4, 5, 6, 20, 21, 30, 31]); // 3×2
    expect(Array.from(padYuv420ToEven(src, 3, 2, 'full'))).toEqual([1, 2, 3, 0, 4, 5, 6, 0, 20, 21, 30, 31]);
    const tall = Uint8Array.from([1, 2, 3, 4, 5, 6, 20, 21, 30, 31]); // 2×3
    expect(Array.from(padYuv420ToEven(tall, 2, 3, 'limited'))).toEqual([1, 2, 3, 4, 5, 6, 16, 16, 20, 21, 30, 31]);
  });

  it('refuses a buffer of the wrong size', () => {
    expect(() => padYuv420ToEven(new Uint8Array(5), 3, 3, 'limited')).toThrow(/holds 5 bytes, expected 17 for 3×3/);
  });
});
