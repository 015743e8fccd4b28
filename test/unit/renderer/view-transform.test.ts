import { describe, expect, it } from 'vitest';
import { clampView, fitView, imageToScreen, panBy, screenToImage, wheelZoomFactor, zoomAt } from '../../../src-renderer/src/lib/view-transform';

describe('fitView', () => {
  const cases: [string, [number, number], [number, number], number, { scale: number; tx: number; ty: number }][] = [
    ['wide image in a square viewport: width limits', [400, 400], [200, 100], 0, { scale: 2, tx: 0, ty: 100 }],
    ['tall image: height limits', [400, 200], [100, 200], 0, { scale: 1, tx: 150, ty: 0 }],
    ['margin shrinks the fit', [420, 420], [200, 200], 10, { scale: 2, tx: 10, ty: 10 }],
    ['8K frame into a small window scales down', [960, 540], [7680, 4320], 0, { scale: 0.125, tx: 0, ty: 0 }],
    ['empty viewport is identity', [0, 0], [320, 240], 0, { scale: 1, tx: 0, ty: 0 }],
    ['empty image is identity', [100, 100], [0, 0], 0, { scale: 1, tx: 0, ty: 0 }],
  ];
  it.each(cases)('%s', (_n, [vw, vh], [iw, ih], margin, expected) => {
    const v = fitView({ width: vw, height: vh }, { width: iw, height: ih }, margin);
    expect(v.scale).toBeCloseTo(expected.scale, 9);
    expect(v.tx).toBeCloseTo(expected.tx, 9);
    expect(v.ty).toBeCloseTo(expected.ty, 9);
  });
});

describe('zoomAt keeps the point under the cursor fixed', () => {
  const cases: [number, number, number][] = [
    [2, 100, 50],
    [0.5, 0, 0],
    [1.2, 333.3, 10],
    [10, 640, 480],
  ];
  it.each(cases)('factor %d at (%d, %d)', (factor, sx, sy) => {
    const v0 = { scale: 0.75, tx: 12, ty: -30 };
    const before = screenToImage(v0, sx, sy);
    const v1 = zoomAt(v0, factor, sx, sy);
    const after = screenToImage(v1, sx, sy);
    expect(v1.scale).toBeCloseTo(0.75 * factor, 9);
    expect(after[0]).toBeCloseTo(before[0], 9);
    expect(after[1]).toBeCloseTo(before[1], 9);
  });

  it('clamps the scale and ignores nonsense factors', () => {
    expect(zoomAt({ scale: 1, tx: 0, ty: 0 }, 1000, 0, 0).scale).toBe(64);
    expect(zoomAt({ scale: 1, tx: 0, ty: 0 }, 0.00001, 0, 0).scale).toBe(0.02);
    const v = { scale: 1, tx: 3, ty: 4 };
    expect(zoomAt(v, 0, 0, 0)).toBe(v);
    expect(zoomAt(v, Number.NaN, 0, 0)).toBe(v);
  });
});

describe('coordinates', () => {
  it('screenToImage inverts imageToScreen', () => {
    const v = { scale: 2.5, tx: -40, ty: 17 };
    const [sx, sy] = imageToScreen(v, 123, 45);
    expect(screenToImage(v, sx, sy)).toEqual([123, 45]);
  });
  it('panBy moves the translation only', () => {
    expect(panBy({ scale: 2, tx: 1, ty: 2 }, 10, -5)).toEqual({ scale: 2, tx: 11, ty: -3 });
  });
});

describe('clampView keeps part of the image on screen', () => {
  const vp = { width: 400, height: 300 };
  const img = { width: 200, height: 100 };
  const cases: [string, { scale: number; tx: number; ty: number }, { tx: number; ty: number }][] = [
    ['inside stays', { scale: 1, tx: 50, ty: 50 }, { tx: 50, ty: 50 }],
    ['far right is pulled back', { scale: 1, tx: 5000, ty: 50 }, { tx: 352, ty: 50 }],
    ['far left is pulled back', { scale: 1, tx: -5000, ty: 50 }, { tx: -152, ty: 50 }],
    ['far down is pulled back', { scale: 1, tx: 0, ty: 900 }, { tx: 0, ty: 252 }],
    ['tiny image: keep is its size', { scale: 0.1, tx: -100, ty: -100 }, { tx: 0, ty: 0 }],
  ];
  it.each(cases)('%s', (_n, v, expected) => {
    const c = clampView(v, vp, img);
    expect({ tx: c.tx, ty: c.ty }).toEqual(expected);
    expect(c.scale).toBe(v.scale);
  });
});

describe('wheelZoomFactor', () => {
  const cases: [number, number, 'in' | 'out' | 'none'][] = [
    [-100, 0, 'in'],
    [100, 0, 'out'],
    [-3, 1, 'in'],
    [1, 2, 'out'],
    [0, 0, 'none'],
  ];
  it.each(cases)('deltaY %d mode %d zooms %s', (dy, mode, dir) => {
    const f = wheelZoomFactor(dy, mode);
    if (dir === 'in') expect(f).toBeGreaterThan(1);
    if (dir === 'out') expect(f).toBeLessThan(1);
    if (dir === 'none') expect(f).toBe(1);
  });
  it('one line-mode notch and one 100px pixel notch zoom alike (within 10%)', () => {
    expect(wheelZoomFactor(-3, 1) / wheelZoomFactor(-48, 0)).toBeCloseTo(1, 5);
    expect(Math.abs(wheelZoomFactor(-100, 0) - 1.2)).toBeLessThan(0.1);
  });
  it('huge deltas are capped', () => {
    expect(wheelZoomFactor(-100000, 0)).toBe(wheelZoomFactor(-300, 0));
  });
});
