import { describe, expect, test } from 'vitest';
import { buildStoredPoints, decoderPoints, toModelSpace, validatePointPrompt, type PointPrompt } from '../../../src-main/core/sam2/points';

const W = 320;
const H = 180;
const S = 256;

describe('point list building (spec 4.3)', () => {
  test.each([
    { name: 'one click', p: { points: [[40, 90]], labels: [1] }, labels: [1, -1], n: 1 },
    {
      name: 'two clicks',
      p: {
        points: [
          [40, 90],
          [10, 10],
        ],
        labels: [1, 0],
      },
      labels: [1, 0, -1],
      n: 2,
    },
    { name: 'box only: two corners first', p: { points: [], labels: [], box: [137, 2, 183, 48] }, labels: [2, 3, -1], n: 2 },
    { name: 'box + click: box corners before the click', p: { points: [[160, 25]], labels: [1], box: [137, 2, 183, 48] }, labels: [2, 3, 1, -1], n: 3 },
  ] as { name: string; p: PointPrompt; labels: number[]; n: number }[])('$name', ({ p, labels, n }) => {
    const d = decoderPoints(buildStoredPoints(p, undefined, true, W, H, S));
    expect(Array.from(d.labels)).toEqual(labels);
    expect(d.numUserPoints).toBe(n);
    // the padding point sits at (0, 0)
    expect(Array.from(d.coords.slice(-2))).toEqual([0, 0]);
  });

  test('box corners are scaled per axis: x·S/W, y·S/H', () => {
    const s = buildStoredPoints({ points: [], labels: [], box: [137, 2, 183, 48] }, undefined, true, W, H, S);
    expect(s.coords).toEqual([toModelSpace(137, W, S), toModelSpace(2, H, S), toModelSpace(183, W, S), toModelSpace(48, H, S)]);
    expect(s.coords[0]).toBeCloseTo(109.6, 4);
    expect(s.coords[1]).toBeCloseTo(2.8444, 3);
  });

  test('scaling is fround(fround(x / W) · S) as the official predictor', () => {
    expect(toModelSpace(40, W, S)).toBe(32);
    expect(toModelSpace(90, H, S)).toBe(128);
    expect(toModelSpace(137, W, S)).toBe(Math.fround(Math.fround(137 / 320) * 256));
  });

  test('no user points: the not-a-point dummy plus the padding point', () => {
    const d = decoderPoints(null);
    expect(Array.from(d.labels)).toEqual([-1, -1]);
    expect(Array.from(d.coords)).toEqual([0, 0, 0, 0]);
    expect(d.numUserPoints).toBe(0);
  });

  test("clearOld = false appends to the frame's points; true replaces them", () => {
    const first = buildStoredPoints({ points: [[40, 90]], labels: [1] }, undefined, true, W, H, S);
    const appended = buildStoredPoints({ points: [[80, 90]], labels: [0] }, first, false, W, H, S);
    expect(appended.labels).toEqual([1, 0]);
    const replaced = buildStoredPoints({ points: [[80, 90]], labels: [0] }, first, true, W, H, S);
    expect(replaced.labels).toEqual([0]);
  });
});

describe('prompt validation', () => {
  test.each([
    { name: 'point outside (x > W)', p: { points: [[321, 10]], labels: [1] }, code: 'BAD_POINTS' },
    { name: 'point outside (negative y)', p: { points: [[10, -1]], labels: [1] }, code: 'BAD_POINTS' },
    { name: 'empty point list', p: { points: [], labels: [] }, code: 'BAD_POINTS' },
    { name: 'NaN coordinate', p: { points: [[NaN, 1]], labels: [1] }, code: 'BAD_POINTS' },
    { name: 'not a pair', p: { points: [[1, 2, 3]], labels: [1] }, code: 'BAD_POINTS' },
    { name: 'label 2 from the user', p: { points: [[10, 10]], labels: [2] }, code: 'BAD_LABELS' },
    { name: 'label -1 from the user', p: { points: [[10, 10]], labels: [-1] }, code: 'BAD_LABELS' },
    { name: 'labels count mismatch', p: { points: [[10, 10]], labels: [1, 1] }, code: 'BAD_LABELS' },
    { name: 'zero-area box', p: { points: [], labels: [], box: [10, 10, 10, 50] }, code: 'BAD_BOX' },
    { name: 'inverted box', p: { points: [], labels: [], box: [50, 50, 10, 60] }, code: 'BAD_BOX' },
    { name: 'box outside', p: { points: [], labels: [], box: [0, 0, 400, 50] }, code: 'BAD_BOX' },
    { name: 'box with clearOld false', p: { points: [], labels: [], box: [0, 0, 40, 50] }, clearOld: false, code: 'BAD_BOX' },
  ] as { name: string; p: PointPrompt; code: string; clearOld?: boolean }[])('$name → $code', ({ p, code, clearOld }) => {
    expect(() => validatePointPrompt(p, W, H, clearOld ?? true)).toThrow(expect.objectContaining({ code }));
  });

  test.each([
    {
      name: 'points on the frame edges',
      p: {
        points: [
          [0, 0],
          [320, 180],
        ],
        labels: [1, 0],
      },
    },
    { name: 'box covering the frame', p: { points: [], labels: [], box: [0, 0, 320, 180] } },
  ] as { name: string; p: PointPrompt }[])('accepts $name', ({ p }) => {
    expect(() => validatePointPrompt(p, W, H, true)).not.toThrow();
  });
});
