import { describe, expect, it } from 'vitest';
import { erode4, MaskShapeError, outlineOf, paintMask, rleArea, rleToMask, styleKey, type PaintStyle } from '../../../src-renderer/src/lib/mask-raster';
import { encodeMask } from '../../../src-main/core/masks/rle';

/** '#' = foreground, '.' = background, one string per row. */
const grid = (rows: string[]) => ({ w: rows[0]!.length, h: rows.length, mask: Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 1 : 0)) });
const show = (m: Uint8Array, w: number) =>
  Array.from({ length: m.length / w }, (_, y) => Array.from(m.subarray(y * w, y * w + w), (v) => (v ? '#' : '.')).join(''));

describe('rleToMask', () => {
  const shapes: [string, string[]][] = [
    ['empty', ['....', '....']],
    ['full', ['####', '####']],
    ['starts with foreground', ['#...', '...#']],
    ['a square', ['.....', '.###.', '.###.', '.###.', '.....']],
  ];
  it.each(shapes)("decodes the core encoder's RLE of %s", (_n, rows) => {
    const g = grid(rows);
    const rle = encodeMask(g.mask, g.h, g.w);
    expect(show(rleToMask(rle), g.w)).toEqual(rows);
    expect(rleArea(rle)).toBe(g.mask.reduce((a, b) => a + b, 0));
  });

  it('reuses a buffer of the right size, clearing what was there', () => {
    const buf = new Uint8Array(4).fill(1);
    const out = rleToMask({ h: 2, w: 2, counts: [3, 1] }, buf);
    expect(out).toBe(buf);
    expect([...out]).toEqual([0, 0, 0, 1]);
  });

  const bad: [string, { h: number; w: number; counts: number[] }, RegExp][] = [
    ['runs too short', { h: 2, w: 2, counts: [1, 1] }, /cover 2 pixels, 2×2 needs 4/],
    ['runs too long', { h: 2, w: 2, counts: [3, 3] }, /overflow 2×2 at run 1/],
    ['zero size', { h: 0, w: 2, counts: [] }, /not positive/],
  ];
  it.each(bad)('refuses %s', (_n, rle, msg) => {
    expect(() => rleToMask(rle)).toThrow(MaskShapeError);
    expect(() => rleToMask(rle)).toThrow(msg);
  });
});

describe('outline = mask XOR eroded mask', () => {
  it('a filled square keeps only its ring', () => {
    const g = grid(['.....', '.###.', '.###.', '.###.', '.....']);
    expect(show(outlineOf(g.mask, g.w, g.h), g.w)).toEqual(['.....', '.###.', '.#.#.', '.###.', '.....']);
  });
  it('a mask touching the image border is outlined along the border', () => {
    const g = grid(['###', '###', '###']);
    expect(show(erode4(g.mask, g.w, g.h), g.w)).toEqual(['...', '.#.', '...']);
    expect(show(outlineOf(g.mask, g.w, g.h), g.w)).toEqual(['###', '#.#', '###']);
  });
  it('thin shapes are all outline', () => {
    const g = grid(['.....', '#####', '.....']);
    expect(show(outlineOf(g.mask, g.w, g.h), g.w)).toEqual(['.....', '#####', '.....']);
  });
  it('thickness 2 eats two rings', () => {
    const g = grid(['#####', '#####', '#####', '#####', '#####']);
    expect(show(outlineOf(g.mask, g.w, g.h, 2), g.w)).toEqual(['#####', '#####', '##.##', '#####', '#####']);
  });
});

describe('paintMask', () => {
  const g = grid(['.....', '.###.', '.###.', '.###.', '.....']);
  const base: PaintStyle = { color: [255, 77, 77], opacity: 0.5, outlineOnly: false, outline: false };
  const alphaAt = (rgba: Uint8ClampedArray, x: number, y: number) => rgba[(y * g.w + x) * 4 + 3];

  it('fills with the colour at the opacity, background stays transparent', () => {
    const px = paintMask(g.mask, g.w, g.h, base);
    expect([...px.subarray((2 * 5 + 2) * 4, (2 * 5 + 2) * 4 + 4)]).toEqual([255, 77, 77, 128]);
    expect(alphaAt(px, 0, 0)).toBe(0);
  });
  it('outline-only leaves the inside transparent and the ring opaque', () => {
    const px = paintMask(g.mask, g.w, g.h, { ...base, outlineOnly: true });
    expect(alphaAt(px, 2, 2)).toBe(0);
    expect(alphaAt(px, 1, 1)).toBe(255);
  });
  it('fill + outline: inside at the opacity, ring opaque', () => {
    const px = paintMask(g.mask, g.w, g.h, { ...base, outline: true, opacity: 0.2 });
    expect(alphaAt(px, 2, 2)).toBe(51);
    expect(alphaAt(px, 3, 1)).toBe(255);
  });
  it('opacity 0 with a fill draws nothing; out-of-range opacity is clamped', () => {
    expect(paintMask(g.mask, g.w, g.h, { ...base, opacity: 0 }).some((v) => v !== 0)).toBe(false);
    expect(alphaAt(paintMask(g.mask, g.w, g.h, { ...base, opacity: 7 }), 2, 2)).toBe(255);
  });
  it('clears a reused buffer', () => {
    const buf = new Uint8ClampedArray(g.w * g.h * 4).fill(9);
    paintMask(new Uint8Array(25), g.w, g.h, base, buf);
    expect(buf.every((v) => v === 0)).toBe(true);
  });
});

describe('styleKey', () => {
  const s: PaintStyle = { color: [1, 2, 3], opacity: 0.5, outlineOnly: false, outline: false };
  it('differs whenever the painted pixels would', () => {
    const keys = new Set(
      [s, { ...s, color: [1, 2, 4] }, { ...s, opacity: 0.6 }, { ...s, outlineOnly: true }, { ...s, outline: true }].map((x) => styleKey(x as PaintStyle)),
    );
    expect(keys.size).toBe(5);
  });
  it('ignores opacity differences below one percent', () => {
    expect(styleKey({ ...s, opacity: 0.501 })).toBe(styleKey(s));
  });
});
