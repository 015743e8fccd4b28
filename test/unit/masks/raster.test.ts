// Rasterising hand edits and polygons: brush dots and strokes (interpolated, no gaps), the
// eraser, polygon fill at pixel centres with the even-odd and non-zero rules.
import { describe, expect, it } from 'vitest';
import { fillPolygon, paintSegment, paintStroke, type FillRule } from '../../../src-main/shared/raster';

const W = 12;
const H = 8;
const blank = () => ({ mask: new Uint8Array(W * H), width: W, height: H });
const count = (m: Uint8Array) => m.reduce((a, v) => a + v, 0);
const rows = (m: Uint8Array) => Array.from({ length: H }, (_, y) => Array.from(m.subarray(y * W, (y + 1) * W)).join(''));

describe('brush strokes', () => {
  it.each([
    // [what, points, size, pixels set]
    ['a 1 px dot covers the one pixel whose centre it is on', [[3.5, 2.5]], 1, 1],
    ['a 2 px dot on a pixel corner covers the four pixels around it', [[4, 4]], 2, 4],
    ['a 2.5 px dot: the centre pixel and its 4 neighbours (corners are 1.41 away)', [[5.5, 3.5]], 2.5, 5],
    ['a 3 px dot: the 3×3 block around it', [[5.5, 3.5]], 3, 9],
    [
      'a horizontal 1 px stroke covers every pixel between its ends',
      [
        [0.5, 1.5],
        [9.5, 1.5],
      ],
      1,
      10,
    ],
    [
      'a stroke off the image paints nothing',
      [
        [-5, -5],
        [-1, -9],
      ],
      2,
      0,
    ],
  ] as [string, [number, number][], number, number][])('%s', (_n, pts, size, n) => {
    const t = blank();
    paintStroke(t, pts, size, 1);
    expect(count(t.mask)).toBe(n);
  });

  it('fast strokes have no gaps: two far-apart pointer positions give a continuous line', () => {
    const t = blank();
    paintStroke(
      t,
      [
        [0.5, 0.5],
        [11.5, 7.5],
      ],
      1.5,
      1,
    );
    // every row between the ends has painted pixels, and each row's run is connected to the next
    for (let y = 0; y < H; y++) expect(t.mask.subarray(y * W, (y + 1) * W).some((v) => v)).toBe(true);
    const t2 = blank();
    paintSegment(t2, 0.5, 0.5, 11.5, 7.5, 0.75, 1);
    expect(t2.mask).toEqual(t.mask);
  });

  it('the eraser clears exactly what the brush with the same stroke paints', () => {
    const t = blank();
    t.mask.fill(1);
    paintStroke(
      t,
      [
        [2, 2],
        [8, 5],
      ],
      3,
      0,
    );
    const b = blank();
    paintStroke(
      b,
      [
        [2, 2],
        [8, 5],
      ],
      3,
      1,
    );
    for (let i = 0; i < W * H; i++) expect(t.mask[i]).toBe(1 - b.mask[i]!);
  });
});

describe('polygon fill (pixel centres)', () => {
  it('a pixel-aligned rectangle fills exactly its pixels', () => {
    const t = blank();
    fillPolygon(t, [2, 1, 6, 1, 6, 4, 2, 4], 1);
    expect(rows(t.mask).slice(0, 5)).toEqual(['000000000000', '001111000000', '001111000000', '001111000000', '000000000000']);
  });

  // a bow-tie... a square drawn twice round (winding 2 inside) tells the rules apart
  const twice = [1, 1, 7, 1, 7, 7, 1, 7, 1, 1, 7, 1, 7, 7, 1, 7];
  // outer square clockwise, inner square also clockwise (same direction): non-zero fills the hole, even-odd leaves it
  const nested = [0, 0, 10, 0, 10, 8, 0, 8, 0, 0, 3, 2, 7, 2, 7, 6, 3, 6, 3, 2];
  it.each([
    ['even-odd', twice, 0],
    ['non-zero', twice, 36],
    ['even-odd', nested, 80 - 16],
    ['non-zero', nested, 80],
  ] as [FillRule, number[], number][])('%s rule', (rule, poly, n) => {
    const t = blank();
    fillPolygon(t, poly, 1, rule);
    expect(count(t.mask)).toBe(n);
  });

  it('value 0 subtracts (Shift+polygon), fewer than 3 vertices do nothing, it clips to the image', () => {
    const t = blank();
    t.mask.fill(1);
    fillPolygon(t, [0, 0, 4, 0, 4, 2, 0, 2], 0);
    expect(count(t.mask)).toBe(W * H - 8);
    fillPolygon(t, [0, 0, 4, 4], 0);
    expect(count(t.mask)).toBe(W * H - 8);
    const c = blank();
    fillPolygon(c, [-10, -10, 30, -10, 30, 30, -10, 30], 1);
    expect(count(c.mask)).toBe(W * H);
  });
});
