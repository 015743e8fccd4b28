// Proposals → RGBA: boundary pixels, painting order and overwrite, fills from run lengths,
// what the base layer paints in each view, the hover item. Table-style on tiny masks.
import { describe, expect, it } from 'vitest';
import type { Rle } from '../../../src-main/api/contract';
import { outlineOf, rleToMask } from '../../../src-renderer/src/lib/mask-raster';
import { encodeMask } from '../../../src-main/core/masks/rle';
import {
  HOVER_ALPHA,
  KEPT_ALPHA,
  LABEL_ALPHA,
  hoverItem,
  layerItems,
  outlinePixels,
  paintLayer,
  type PaintItem,
} from '../../../src-renderer/src/lib/proposal-paint';

const W = 5;
const H = 5;
function rleOf(rows: string[]): Rle {
  const bits = rows
    .join('')
    .split('')
    .map((c) => (c === '#' ? 1 : 0));
  const counts: number[] = [];
  let cur = 0,
    run = 0;
  for (const v of bits) {
    if (v === cur) run++;
    else {
      counts.push(run);
      cur = v;
      run = 1;
    }
  }
  counts.push(run);
  return { h: rows.length, w: rows[0]!.length, counts };
}
const block = rleOf(['.....', '.###.', '.###.', '.###.', '.....']);
const dot = rleOf(['.....', '.....', '..#..', '.....', '.....']);
const full = rleOf(['#####', '#####', '#####', '#####', '#####']);

/** RGBA of pixel (x, y). */
const px = (buf: Uint8ClampedArray, x: number, y: number) => Array.from(buf.slice((y * W + x) * 4, (y * W + x) * 4 + 4));

describe('outlinePixels', () => {
  it.each([
    ['a 3×3 block: its ring, not its centre', block, [6, 7, 8, 11, 13, 16, 17, 18]],
    ['a single pixel is its own outline', dot, [12]],
    ['a mask touching the frame edge is outlined there', full, [0, 1, 2, 3, 4, 5, 9, 10, 14, 15, 19, 20, 21, 22, 23, 24]],
  ])('%s', (_n, rle, idx) => expect(Array.from(outlinePixels(rle))).toEqual(idx));
  it('an empty mask has none', () => expect(outlinePixels({ h: 3, w: 3, counts: [9] })).toHaveLength(0));
  it('equals the full-frame outline (mask AND NOT eroded mask) on random masks', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const [w, h, density] of [
      [17, 11, 0.5],
      [40, 23, 0.9],
      [9, 30, 0.1],
      [64, 48, 0.02],
    ] as const) {
      const m = new Uint8Array(w * h);
      // blobs and specks, some touching the edges
      for (let i = 0; i < m.length; i++) m[i] = rnd() < density ? 1 : 0;
      const rle = encodeMask(m, h, w);
      const edge = outlineOf(rleToMask(rle), w, h, 1);
      const want = [...edge.keys()].filter((i) => edge[i]);
      expect(Array.from(outlinePixels(rle)), `${w}×${h} at ${density}`).toEqual(want);
    }
  });
});

describe('paintLayer', () => {
  const red = [255, 0, 0, 255] as [number, number, number, number];
  const blue = [0, 0, 255, 120] as [number, number, number, number];
  it('fills from the runs, outlines on top, later items over earlier ones, the rest transparent', () => {
    const items: PaintItem[] = [
      { rle: block, outline: outlinePixels(block), fill: blue, line: red },
      { rle: dot, outline: null, fill: [0, 255, 0, 200], line: null },
    ];
    const out = paintLayer(new Uint8ClampedArray(W * H * 4).fill(7), W, H, items);
    expect(px(out, 0, 0)).toEqual([0, 0, 0, 0]);
    expect(px(out, 1, 1)).toEqual(red);
    expect(px(out, 2, 2)).toEqual([0, 255, 0, 200]);
    expect(px(out, 3, 3)).toEqual(red);
    // a block's inner pixel is its fill when the dot is not there
    const only = paintLayer(new Uint8ClampedArray(W * H * 4), W, H, [items[0]!]);
    expect(px(only, 2, 2)).toEqual(blue);
  });
  it('an item with neither fill nor line paints nothing', () => {
    const out = paintLayer(new Uint8ClampedArray(W * H * 4), W, H, [{ rle: full, outline: outlinePixels(full), fill: null, line: null }]);
    expect(out.every((v) => v === 0)).toBe(true);
  });
  it('refuses a buffer or a mask of another size', () => {
    expect(() => paintLayer(new Uint8ClampedArray(4), W, H, [])).toThrow(/holds 1 pixels, 5×5 needs 25/);
    expect(() => paintLayer(new Uint8ClampedArray(W * H * 4), W, H, [{ rle: { h: 2, w: 2, counts: [4] }, outline: null, fill: red, line: null }])).toThrow(
      /a mask is 2×2, the layer 5×5/,
    );
  });
});

describe('layerItems', () => {
  const proposals = [
    { id: 7, rle: dot, area: 1 },
    { id: 3, rle: full, area: 25 },
    { id: 5, rle: block, area: 9 },
  ];
  const colorOf = (i: number): [number, number, number] => [i, i, i];
  const spec = { proposals, parts: null, kept: new Map<number, [number, number, number]>(), colorOf, outline: outlinePixels };
  it("outlines view: largest first, outlines in each proposal's colour, no fill", () => {
    const items = layerItems(spec);
    expect(items.map((it) => it.rle)).toEqual([full, block, dot]);
    expect(items.map((it) => [it.fill, it.line])).toEqual([
      [null, [1, 1, 1, 255]],
      [null, [2, 2, 2, 255]],
      [null, [0, 0, 0, 255]],
    ]);
  });
  it('kept proposals are filled and outlined in their future object colour', () => {
    const items = layerItems({ ...spec, kept: new Map([[5, [9, 8, 7]]]) });
    expect(items[1]).toMatchObject({ rle: block, fill: [9, 8, 7, KEPT_ALPHA], line: [9, 8, 7, 255] });
  });
  it('label view: each visible part filled in its label colour, in the given order', () => {
    const parts = [dot, rleOf(['#####', '#...#', '#.#.#', '#...#', '#####']), rleOf(['.....', '.###.', '.#.#.', '.###.', '.....'])];
    const items = layerItems({ ...spec, parts });
    expect(items.map((it) => it.rle)).toEqual(parts);
    expect(items.map((it) => it.fill)).toEqual([
      [0, 0, 0, LABEL_ALPHA],
      [1, 1, 1, LABEL_ALPHA],
      [2, 2, 2, LABEL_ALPHA],
    ]);
  });
  it('hover: a white veil with a white outline', () => {
    expect(hoverItem(dot, new Int32Array([12]))).toEqual({
      rle: dot,
      outline: new Int32Array([12]),
      fill: [255, 255, 255, HOVER_ALPHA],
      line: [255, 255, 255, 255],
    });
  });
});
