import { describe, expect, test } from 'vitest';
import { bestMultimaskToken, chooseToken, gateMask, NO_OBJ_SCORE, stabilityScore, useMultimask } from '../../../src-main/core/sam2/mask-decision';

const sam21 = { multimaskOutputInSam: true, multimaskOutputForTracking: true, multimaskMinPtNum: 0, multimaskMaxPtNum: 1 };
const stab = { dynamicMultimaskViaStability: true, stabilityDelta: 0.05, stabilityThresh: 0.98 };

describe('multimask decision (spec 5.2)', () => {
  test.each([
    { situation: 'tracking frame', pts: 0, init: false, rule: sam21, want: true },
    { situation: 'one click, new frame', pts: 1, init: true, rule: sam21, want: true },
    { situation: 'one click, correction', pts: 1, init: false, rule: sam21, want: true },
    { situation: 'two clicks', pts: 2, init: true, rule: sam21, want: false },
    { situation: 'box', pts: 2, init: true, rule: sam21, want: false },
    { situation: 'box + click', pts: 3, init: true, rule: sam21, want: false },
    { situation: 'tracking without multimask_output_for_tracking', pts: 0, init: false, rule: { ...sam21, multimaskOutputForTracking: false }, want: false },
    { situation: 'init frame without multimask_output_for_tracking', pts: 1, init: true, rule: { ...sam21, multimaskOutputForTracking: false }, want: true },
    { situation: 'multimask off in SAM', pts: 1, init: true, rule: { ...sam21, multimaskOutputInSam: false }, want: false },
    { situation: 'min_pt_num 1 excludes tracking', pts: 0, init: false, rule: { ...sam21, multimaskMinPtNum: 1 }, want: false },
  ])('$situation → $want', ({ pts, init, rule, want }) => {
    expect(useMultimask(pts, init, rule)).toBe(want);
  });
});

function logits(values: number[]): Float32Array {
  return Float32Array.from(values);
}

describe('stability score', () => {
  test.each([
    { name: 'all clearly positive', v: [1, 2, 3, 4], want: 1 },
    { name: 'empty union', v: [-1, -2, -0.06, -3], want: 1 },
    { name: 'values inside ±delta count in the union only', v: [1, 0.01, -0.01, -1], want: 1 / 3 },
    { name: 'thresholds compare in float32 (0.05 itself is not > fround(0.05))', v: [Math.fround(0.05), 1], want: 0.5 },
    { name: '-0.05 is not > fround(-0.05)', v: [Math.fround(-0.05), 1, -1], want: 1 },
  ])('$name', ({ v, want }) => {
    expect(stabilityScore(logits(v), 0.05)).toBeCloseTo(want, 7);
  });
});

describe('token choice (spec 5.3)', () => {
  const stable = logits(Array(50).fill(5).concat(Array(50).fill(-5)));
  const unstable = logits(Array(50).fill(0.01).concat(Array(50).fill(5)));
  test.each([
    { name: 'multimask: best of 1..3 for mask and pointer', multi: true, t0: stable, iou: [0.99, 0.2, 0.7, 0.5], mask: 2, ptr: 2 },
    { name: 'multimask: ties go to the first', multi: true, t0: stable, iou: [0, 0.6, 0.6, 0.6], mask: 1, ptr: 1 },
    { name: 'single, stable: token 0', multi: false, t0: stable, iou: [0.1, 0.9, 0.8, 0.7], mask: 0, ptr: 0 },
    { name: 'single, unstable: best multimask mask, pointer still token 0', multi: false, t0: unstable, iou: [0.9, 0.3, 0.4, 0.8], mask: 3, ptr: 0 },
  ])('$name', ({ multi, t0, iou, mask, ptr }) => {
    const c = chooseToken(multi, t0, iou, stab);
    expect(c.maskToken).toBe(mask);
    expect(c.pointerToken).toBe(ptr);
  });

  test('stability exactly at the threshold keeps token 0', () => {
    // 49 of 50 union pixels above +delta: 0.98 exactly in float32
    const v = logits(Array(49).fill(1).concat([0.01], Array(50).fill(-1)));
    expect(stabilityScore(v, 0.05)).toBe(Math.fround(0.98));
    expect(chooseToken(false, v, [0, 1, 1, 1], stab).maskToken).toBe(0);
  });

  test('without dynamic stability a single mask is token 0', () => {
    expect(chooseToken(false, unstable, [0, 1, 1, 1], { ...stab, dynamicMultimaskViaStability: false }).maskToken).toBe(0);
  });

  test('argmax over tokens 1..3 only', () => {
    expect(bestMultimaskToken([5, 0.1, 0.3, 0.2])).toBe(2);
  });
});

describe('no-object replacement (spec 5.4)', () => {
  test.each([
    { score: 0.5, present: true },
    { score: 0, present: false },
    { score: -3, present: false },
  ])('score $score → present $present', ({ score, present }) => {
    const m = logits([2, -1, 0.3]);
    const g = gateMask(m, score);
    expect(Array.from(g)).toEqual(present ? [2, -1, Math.fround(0.3)] : [NO_OBJ_SCORE, NO_OBJ_SCORE, NO_OBJ_SCORE]);
    expect(g).not.toBe(m);
  });
});
