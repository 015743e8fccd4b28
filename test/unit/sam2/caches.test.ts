import { describe, expect, test } from 'vitest';
import { FeatureCache, type FrameFeatures } from '../../../src-main/core/sam2/feature-cache';
import { encodeRuns, runsToLogits, summarizeMask } from '../../../src-main/core/sam2/low-res-rle';
import type { FrameOut } from '../../../src-main/core/sam2/object-state';
import { OutputLru } from '../../../src-main/core/sam2/output-lru';

const feats = (kb: number): FrameFeatures => ({ featS0: new Float32Array(kb * 128), featS1: new Float32Array(kb * 64), visionFeat: new Float32Array(kb * 64) });
// 1 KiB per unit: (128 + 64 + 64) floats · 4 bytes = 1 KiB

describe('feature cache (LRU by bytes)', () => {
  test('evicts least recently used frames beyond the budget', () => {
    const c = new FeatureCache(3 * 1024);
    c.set(0, feats(1));
    c.set(1, feats(1));
    c.set(2, feats(1));
    expect(c.get(0)).toBeDefined(); // 0 becomes most recent
    c.set(3, feats(1));
    expect(c.frames().sort()).toEqual([0, 2, 3]);
    expect(c.bytes).toBe(3 * 1024);
    expect(c.hits).toBe(1);
    expect(c.get(1)).toBeUndefined();
    expect(c.misses).toBe(1);
  });

  test('keeps the newest entry even when it alone exceeds the budget', () => {
    const c = new FeatureCache(1024);
    c.set(0, feats(1));
    c.set(1, feats(4));
    expect(c.frames()).toEqual([1]);
  });

  test('replacing a frame does not double count it; a smaller budget evicts', () => {
    const c = new FeatureCache(10 * 1024);
    c.set(5, feats(2));
    c.set(5, feats(3));
    expect(c.bytes).toBe(3 * 1024);
    c.set(6, feats(3));
    c.setBudget(4 * 1024);
    expect(c.frames()).toEqual([6]);
  });
});

// kb KiB of big parts: predMasks kb·512 bytes + maskmem kb·512 bytes
function out(kb: number): FrameOut {
  return {
    objPtr: new Float32Array(4),
    score: 1,
    iou: 1,
    summary: { runs: new Uint32Array([4]), fgMean: 0, bgMean: -1 },
    predMasks: new Float32Array(kb * 128),
    maskmem: new Uint16Array(kb * 256),
    memFromPrompt: false,
  };
}

describe('output LRU (big parts of non-conditioning outputs)', () => {
  test('evicts the oldest big parts, keeps pointer, score and runs', () => {
    const lru = new OutputLru(2.5 * 1024);
    const a = out(1);
    const b = out(1);
    const c = out(1);
    for (const o of [a, b, c]) lru.touch(o);
    lru.enforce();
    expect(a.predMasks).toBeNull();
    expect(a.maskmem).toBeNull();
    expect(a.objPtr.length).toBe(4);
    expect(a.summary.runs.length).toBe(1);
    expect(b.maskmem).not.toBeNull();
    expect(lru.evictions).toBe(1);
  });

  test('protected outputs survive, touching refreshes, forgotten outputs are untracked', () => {
    const lru = new OutputLru(2 * 1024);
    const a = out(1);
    const b = out(1);
    const c = out(1);
    lru.touch(a);
    lru.touch(b);
    lru.touch(a);
    lru.touch(c);
    lru.enforce(new Set([b]));
    expect(b.maskmem).not.toBeNull();
    expect(a.maskmem).toBeNull();
    lru.forget(c);
    expect(lru.bytes).toBe(1024);
  });
});

describe('run-length low-res masks', () => {
  test.each([
    { v: [-1, -1, 2, 3, -1], runs: [2, 2, 1] },
    { v: [1, 1, -1], runs: [0, 2, 1] },
    { v: [-1, 0], runs: [2] },
    { v: [0.5], runs: [0, 1] },
  ])('$v → $runs', ({ v, runs }) => {
    const r = encodeRuns(Float32Array.from(v));
    expect(Array.from(r)).toEqual(runs);
    const back = runsToLogits(r, v.length, 10, -3);
    expect(Array.from(back)).toEqual(v.map((x) => (x > 0 ? 10 : -3)));
  });

  test.each([
    ['empty', 0, 0],
    ['all background', 50, -1],
    ['all foreground', 50, 2],
    ['noisy 256×256 (tens of thousands of runs)', 256 * 256, 0.45],
    ['smooth blob', 64 * 64, 0.05],
  ])('%s: runs and means equal the plain definition', (_, n, p) => {
    let seed = n + 7;
    const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const v = Float32Array.from({ length: n }, (_, i) =>
      p < 0 ? -1 - rnd() : p > 1 ? 1 + rnd() : p > 0.1 ? rnd() * 4 - 2 * (1 + p) : Math.hypot((i % 64) - 30, i / 64 - 30) < 15 ? 3 + rnd() : -5 * rnd(),
    );
    // the plain statement: alternate background/foreground run lengths, means over each side
    const want: number[] = [];
    let on = false;
    let len = 0;
    let fg = 0;
    let bg = 0;
    let nf = 0;
    for (const x of v) {
      if (x > 0 !== on) {
        want.push(len);
        on = !on;
        len = 0;
      }
      len++;
      if (x > 0) {
        fg += x;
        nf++;
      } else bg += x;
    }
    want.push(len);
    expect(Array.from(encodeRuns(v))).toEqual(want);
    const s = summarizeMask(v);
    expect(Array.from(s.runs)).toEqual(want);
    expect(s.fgMean).toBe(nf ? Math.fround(fg / nf) : 0);
    expect(s.bgMean).toBe(n - nf ? Math.fround(bg / (n - nf)) : 0);
    // each summary owns its runs (the scan's buffer is reused)
    const again = summarizeMask(Float32Array.from([1, -1, 1]));
    expect(Array.from(s.runs)).toEqual(want);
    expect(Array.from(again.runs)).toEqual([0, 1, 1, 1]);
  });

  test('runs that do not cover the mask are refused', () => {
    expect(() => runsToLogits(Uint32Array.from([2]), 3, 1, -1)).toThrow(/cover 2 of 3/);
  });

  test.each([
    { v: [-1, -3, 2, 4], fg: 3, bg: -2 },
    { v: [-1024, -1024], fg: 0, bg: -1024 },
    { v: [5, 7], fg: 6, bg: 0 },
  ])('summary of $v: mean inside $fg, outside $bg', ({ v, fg, bg }) => {
    const s = summarizeMask(Float32Array.from(v));
    expect(s.fgMean).toBe(fg);
    expect(s.bgMean).toBe(bg);
    // an absent object's map (all −1024) is rebuilt exactly
    if (fg === 0 && bg === -1024) expect(Array.from(runsToLogits(s.runs, v.length, s.fgMean, s.bgMean))).toEqual(v);
  });
});
