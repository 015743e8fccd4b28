import { describe, expect, it } from 'vitest';
import { encodeMask } from '../../../src-main/core/masks/rle';
import { blendFrame, outlineWidth } from '../../../src-main/core/export/blend';
import { rect } from './mask-shapes';

const W = 20;
const H = 10;

function frame(fill: [number, number, number]): Uint8Array {
  const f = new Uint8Array(W * H * 3);
  for (let i = 0; i < W * H; i++) f.set(fill, i * 3);
  return f;
}
const px = (f: Uint8Array, x: number, y: number) => Array.from(f.subarray((y * W + x) * 3, (y * W + x) * 3 + 3));

describe('blendFrame', () => {
  const square = encodeMask(rect(W, H, 2, 2, 8, 8), H, W);

  it('mixes the colour at the opacity inside the mask and leaves every other byte alone', () => {
    const f = frame([100, 50, 200]);
    const before = Uint8Array.from(f);
    blendFrame(f, W, H, [{ rle: square, color: [0, 255, 0] }], { opacity: 0.4, outlines: false });
    // 100·0.6 = 60, 50·0.6 + 255·0.4 = 132, 200·0.6 = 120 (fixed point, ±1)
    const inside = px(f, 4, 4);
    expect(Math.abs(inside[0]! - 60)).toBeLessThanOrEqual(1);
    expect(Math.abs(inside[1]! - 132)).toBeLessThanOrEqual(1);
    expect(Math.abs(inside[2]! - 120)).toBeLessThanOrEqual(1);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) if (x < 2 || x >= 8 || y < 2 || y >= 8) expect(px(f, x, y)).toEqual(px(before, x, y));
  });

  it('opacity 1 paints the colour, opacity 0 without outlines changes nothing', () => {
    const f = frame([9, 9, 9]);
    blendFrame(f, W, H, [{ rle: square, color: [10, 20, 30] }], { opacity: 1, outlines: false });
    expect(px(f, 3, 3)).toEqual([10, 20, 30]);
    const g = frame([9, 9, 9]);
    blendFrame(g, W, H, [{ rle: square, color: [10, 20, 30] }], { opacity: 0, outlines: false });
    expect(g).toEqual(frame([9, 9, 9]));
  });

  it('outlines paint the edge ring at full colour and keep the inside blended', () => {
    const f = frame([0, 0, 0]);
    blendFrame(f, W, H, [{ rle: square, color: [200, 0, 0] }], { opacity: 0, outlines: true });
    expect(outlineWidth(W, H)).toBe(1);
    expect(px(f, 2, 2)).toEqual([200, 0, 0]);
    expect(px(f, 7, 5)).toEqual([200, 0, 0]);
    expect(px(f, 4, 4)).toEqual([0, 0, 0]);
    expect(px(f, 1, 4)).toEqual([0, 0, 0]);
  });

  it('the frame border counts as background for outlines', () => {
    const f = frame([0, 0, 0]);
    blendFrame(f, W, H, [{ rle: encodeMask(new Uint8Array(W * H).fill(1), H, W), color: [0, 0, 255] }], { opacity: 0, outlines: true });
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) expect(px(f, x, y)).toEqual(x === 0 || y === 0 || x === W - 1 || y === H - 1 ? [0, 0, 255] : [0, 0, 0]);
  });

  it('masks whose boxes do not meet are each blended in full', () => {
    const f = frame([0, 0, 0]);
    const right = encodeMask(rect(W, H, 12, 2, 18, 8), H, W);
    blendFrame(f, W, H, [{ rle: square, color: [200, 0, 0] }, { rle: right, color: [0, 200, 0] }], { opacity: 0.5, outlines: false });
    expect(px(f, 3, 3)).toEqual([100, 0, 0]);
    expect(px(f, 15, 5)).toEqual([0, 100, 0]);
    expect(px(f, 10, 5)).toEqual([0, 0, 0]);
  });

  it('later layers own overlapping pixels, which are blended once', () => {
    const f = frame([0, 0, 0]);
    const other = encodeMask(rect(W, H, 5, 0, 12, 10), H, W);
    blendFrame(f, W, H, [{ rle: square, color: [200, 0, 0] }, { rle: other, color: [0, 0, 200] }], { opacity: 0.5, outlines: false });
    expect(px(f, 3, 3)).toEqual([100, 0, 0]);
    expect(px(f, 6, 3)).toEqual([0, 0, 100]);
    expect(px(f, 10, 9)).toEqual([0, 0, 100]);
    expect(px(f, 3, 9)).toEqual([0, 0, 0]);
  });

  it.each([[640, 360, 1], [1920, 1080, 3], [3840, 2160, 5]])('outline width at %i×%i is %i px', (w, h, px) => {
    expect(outlineWidth(w, h)).toBe(px);
  });
});
