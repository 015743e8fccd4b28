import { describe, expect, it } from 'vitest';
import { simplifyClosed, traceOuterContours } from '../../../src-main/core/export/contours';
import { blobs, disc, rect, union } from './mask-shapes';
import { iou, rasterizePolygons } from './polygon-raster';

const W = 64;
const H = 48;

function holeFree(bitmap: Uint8Array, w: number, h: number): Uint8Array {
  // fill enclosed background: what an outer outline encloses. Background is 8-connected (the
  // dual of 4-connected foreground): a diagonal gap lets the outside in.
  const outside = new Uint8Array(w * h);
  const stack: number[] = [];
  for (let x = 0; x < w; x++) stack.push(x, (h - 1) * w + x);
  for (let y = 0; y < h; y++) stack.push(y * w, y * w + w - 1);
  while (stack.length) {
    const p = stack.pop()!;
    if (outside[p] || bitmap[p]) continue;
    outside[p] = 1;
    const x = p % w;
    const y = Math.floor(p / w);
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx,
          ny = y + dy;
        if ((dx || dy) && nx >= 0 && ny >= 0 && nx < w && ny < h) stack.push(ny * w + nx);
      }
  }
  return outside.map((v) => (v ? 0 : 1));
}

describe('outer contours', () => {
  it('traces a rectangle as its 4 corners, clockwise on screen', () => {
    expect(traceOuterContours(rect(W, H, 3, 4, 10, 9), W, H)).toEqual([[3, 4, 10, 4, 10, 9, 3, 9]]);
  });

  it('traces a single pixel as a unit square', () => {
    expect(traceOuterContours(rect(W, H, 0, 0, 1, 1), W, H)).toEqual([[0, 0, 1, 0, 1, 1, 0, 1]]);
  });

  it('gives one polygon per 4-connected component; diagonal neighbours stay apart', () => {
    const diag = union(rect(W, H, 5, 5, 6, 6), rect(W, H, 6, 6, 7, 7));
    expect(traceOuterContours(diag, W, H)).toHaveLength(2);
    const two = union(rect(W, H, 0, 0, 10, 10), rect(W, H, 20, 20, 30, 30), rect(W, H, 60, 40, W, H));
    expect(traceOuterContours(two, W, H)).toHaveLength(3);
  });

  const shapes: [string, Uint8Array][] = [
    ['disc', disc(W, H, 30, 20, 13)],
    ['touching the frame edges', rect(W, H, 0, 0, W, H)],
    ['blobs', blobs(W, H, 5)],
    ['more blobs', blobs(W, H, 42, 25)],
    ['ring (a hole)', disc(W, H, 30, 24, 15).map((v, i) => (disc(W, H, 30, 24, 6)[i] ? 0 : v))],
  ];

  it.each(shapes)('%s: unsimplified polygons rasterize back to the mask with holes filled, pixel-exact', (_n, m) => {
    const polys = traceOuterContours(m, W, H);
    expect(Array.from(rasterizePolygons(polys, W, H))).toEqual(Array.from(holeFree(m, W, H)));
  });

  it.each(shapes.slice(0, 4))('%s: simplified at 0.5 px keeps IoU ≥ 0.98 and drops vertices', (_n, m) => {
    const polys = traceOuterContours(m, W, H);
    const simple = polys.map((p) => simplifyClosed(p, 0.5));
    expect(iou(rasterizePolygons(simple, W, H), m)).toBeGreaterThanOrEqual(0.98);
    expect(simple.reduce((a, p) => a + p.length, 0)).toBeLessThanOrEqual(polys.reduce((a, p) => a + p.length, 0));
  });
});

describe('Douglas–Peucker on closed polygons', () => {
  it.each([
    ['collinear points on a square edge go', [0, 0, 5, 0, 10, 0, 10, 10, 0, 10], 0.1, [0, 0, 10, 0, 10, 10, 0, 10]],
    ['a bump within tolerance goes', [0, 0, 5, 0.4, 10, 0, 10, 10, 0, 10], 0.5, [0, 0, 10, 0, 10, 10, 0, 10]],
    ['a bump beyond tolerance stays', [0, 0, 5, 2, 10, 0, 10, 10, 0, 10], 0.5, [0, 0, 5, 2, 10, 0, 10, 10, 0, 10]],
    ['a triangle is left alone', [0, 0, 4, 0, 0, 4], 10, [0, 0, 4, 0, 0, 4]],
    ['never fewer than 3 vertices', [0, 0, 1, 0, 1, 1, 0, 1], 5, [0, 0, 1, 0, 1, 1, 0, 1]],
  ])('%s', (_n, poly, tol, expected) => {
    expect(simplifyClosed(poly, tol)).toEqual(expected);
  });
});
