// The pure decisions of pre-encoding as tables: the order of a window, the next frame, what a
// background or foreground insert may evict, the default budgets of the fixture packs, and how the
// pre-encoding thread runs next to the engine per platform.
import { describe, expect, test } from 'vitest';
import { FeatureCache, type FrameFeatures } from '../../../src-main/core/sam2/feature-cache';
import {
  conditioningPinLimit,
  defaultFeatureBudget,
  defaultOutputBudget,
  evictionsFor,
  featureBytesPerFrame,
  nextToPreencode,
  outputBytesPerFrame,
  preencodeOrder,
  preencodeThreadPlan,
  PREENCODE_ARENA_MIN_MEMORY,
  PREENCODE_NICE,
  pinnedConditioning,
  PINNED_CONDITIONING_MIN,
  propagationAhead,
  type CachedFrame,
  type FeatureClass,
} from '../../../src-main/core/sam2/preencode-plan';

describe('preencodeOrder: the resting frame, then neighbours outward within the window and the video', () => {
  test.each([
    [10, 2, 100, [10, 11, 9, 12, 8]],
    [0, 3, 100, [0, 1, 2, 3]],
    [99, 2, 100, [99, 98, 97]],
    [1, 2, 3, [1, 2, 0]],
    [5, 0, 100, [5]],
    [-1, 2, 100, []],
    [100, 2, 100, []],
    [2.5, 2, 100, []],
  ])('center %i, window %i, %i frames → %j', (c, w, n, want) => {
    expect(preencodeOrder(c, w, n)).toEqual(want);
  });
});

describe('nextToPreencode: the first frame of the order not cached', () => {
  test.each([
    [[10, 11, 9], [], 10],
    [[10, 11, 9], [10], 11],
    [[10, 11, 9], [10, 11], 9],
    [[10, 11, 9], [9, 10, 11], null],
    [[], [], null],
  ])('order %j, cached %j → %j', (order, cached, want) => {
    expect(nextToPreencode(order, (f) => cached.includes(f))).toBe(want);
  });
});

const E = (frame: number, cls: FeatureClass, bytes = 10): CachedFrame => ({ frame, bytes, cls });

describe('evictionsFor: what may make room (entries oldest first)', () => {
  test.each<[string, CachedFrame[], number, number, boolean, number[] | null]>([
    ['fits: nothing evicted', [E(1, 'plain')], 10, 30, true, []],
    ['background evicts the oldest plain frame', [E(1, 'plain'), E(2, 'plain'), E(3, 'window')], 10, 30, true, [1]],
    ['background skips window and pinned frames', [E(1, 'pinned'), E(2, 'window'), E(3, 'plain')], 10, 30, true, [3]],
    ['background is refused rather than evict a pinned frame', [E(1, 'pinned'), E(2, 'pinned'), E(3, 'window')], 10, 30, true, null],
    ['background is refused rather than go over the budget', [], 40, 30, true, null],
    ['foreground: plain first, then window', [E(1, 'window'), E(2, 'plain'), E(3, 'window')], 20, 30, false, [2, 1]],
    ['foreground: pinned last', [E(1, 'pinned'), E(2, 'window')], 20, 20, false, [2, 1]],
    ['foreground is kept even alone above the budget', [E(1, 'plain')], 50, 30, false, [1]],
  ])('%s', (_name, entries, incoming, budget, background, want) => {
    expect(evictionsFor(entries, incoming, budget, background)).toEqual(want);
  });
});

describe('pack-sized budgets', () => {
  const micro = { hiddenDim: 128, featSize: 16, memDim: 64, numMaskmem: 7, memoryTokensPerFrame: 256, memoryBf16: true };
  const tiny = { hiddenDim: 256, featSize: 64, memDim: 64, numMaskmem: 7, memoryTokensPerFrame: 4096, memoryBf16: true };
  // an EdgeTAM-like pack: 512 memory tokens per frame kept in float32
  const edgetam = { hiddenDim: 256, featSize: 64, memDim: 64, numMaskmem: 7, memoryTokensPerFrame: 512, memoryBf16: false };
  test.each([
    ['micro', micro, 512 * 1024, 64 * 64 * 4 + 16 * 16 * 64 * 2],
    ['hiera-tiny shapes', tiny, 16 * 2 ** 20, 256 * 256 * 4 + 64 * 64 * 64 * 2],
    ['EdgeTAM-like (float32 memory)', edgetam, 16 * 2 ** 20, 256 * 256 * 4 + 512 * 64 * 4],
  ])('%s: one frame of features and of an output', (_n, m, feat, output) => {
    expect(featureBytesPerFrame(m)).toBe(feat);
    expect(outputBytesPerFrame(m)).toBe(output);
  });
  test('feature budget = window (2w + 1) + memory bank + 3 spare frames; output budget per object', () => {
    expect(defaultFeatureBudget(tiny, 4)).toBe(16 * 2 ** 20 * (9 + 7 + 3));
    expect(defaultFeatureBudget(tiny, 0)).toBe(16 * 2 ** 20 * (1 + 7 + 3));
    expect(defaultOutputBudget(micro, 2)).toBe(outputBytesPerFrame(micro) * 2 * 11);
    expect(defaultOutputBudget(micro, 0)).toBe(outputBytesPerFrame(micro) * 11);
  });
});

test.each([
  [[0, 1, 2, 3, 4, 5], 0, 2, [1, 2]],
  [[0, 1, 2, 3, 4, 5], 4, 3, [5]],
  [[9, 8, 7], 0, 5, [8, 7]],
  [[9, 8, 7], 0, 0, []],
])('propagationAhead(%j, %i, %i) → %j', (order, i, ahead, want) => {
  expect(propagationAhead(order, i, ahead)).toEqual(want);
});

// 1 KiB per frame
const feats = (): FrameFeatures => ({ featS0: new Float32Array(128), featS1: new Float32Array(64), visionFeat: new Float32Array(64) });

describe('conditioning frames pinned: the most recently used ones, as many as the budget holds beyond the window', () => {
  const F = 16 << 20; // one frame's features at 1024 input (hiera-tiny)
  test.each([
    ['default budget, window ±4 (19 frames)', 19 * F, 4, 10],
    ['default budget, no window (11 frames)', 11 * F, 0, 10],
    ['lean budget, window ±4 (10 frames)', 10 * F, 4, PINNED_CONDITIONING_MIN],
    ['a budget smaller than the window', 5 * F, 8, PINNED_CONDITIONING_MIN],
    ['a budget that is not a whole number of frames', 19 * F + F / 2, 4, 10],
  ])('%s: %i bytes, radius %i → %i', (_, budget, radius, want) => {
    expect(conditioningPinLimit(budget, F, radius)).toBe(want);
  });

  const cond = new Set([1, 3, 5, 7, 9]);
  test.each([
    ['all fit', [1, 2, 3, 5, 7, 9], 10, [1, 3, 5, 7, 9]],
    ['the least recently used go first', [9, 2, 1, 3, 5, 7], 3, [3, 5, 7]],
    ['a refinement click made an old one recent again', [3, 5, 7, 9, 1], 2, [1, 9]],
    ['plain frames do not count', [2, 4, 6, 1, 8], 1, [1]],
    ['limit 0', [1, 3], 0, []],
  ])('%s', (_, lru, limit, want) => {
    expect([...pinnedConditioning(lru, (f) => cond.has(f), limit)].sort((a, b) => a - b)).toEqual(want);
  });
});

describe('feature cache with classes', () => {
  test('a background insert displaces only plain frames and never exceeds the budget', () => {
    const c = new FeatureCache(3 * 1024);
    const pinned = new Set([0]);
    const window = new Set([1, 2]);
    c.classify = (f) => (pinned.has(f) ? 'pinned' : window.has(f) ? 'window' : 'plain');
    c.set(0, feats());
    c.set(1, feats(), true);
    c.set(2, feats(), true);
    expect(c.admits(1024)).toBe(false);
    expect(c.set(3, feats(), true)).toBe(false);
    expect(c.frames()).toEqual([0, 1, 2]);
    expect(c.refused).toBe(1);
    window.delete(1);
    expect(c.set(3, feats(), true)).toBe(true);
    expect(c.frames()).toEqual([0, 2, 3]);
    expect(c.peak).toBeLessThanOrEqual(c.budget);
  });
  test('a foreground insert evicts window frames before pinned ones; demote makes a frame the first to go', () => {
    const c = new FeatureCache(3 * 1024);
    c.classify = (f) => (f === 0 ? 'pinned' : f === 1 ? 'window' : 'plain');
    c.set(0, feats());
    c.set(1, feats());
    c.set(2, feats());
    c.set(3, feats());
    expect(c.frames()).toEqual([0, 1, 3]);
    c.set(4, feats()); // plain 3 goes before window 1
    expect(c.frames()).toEqual([0, 1, 4]);
    c.classify = (f) => (f === 0 ? 'pinned' : 'window');
    c.set(5, feats()); // only window and pinned left: the oldest window frame goes
    expect(c.frames()).toEqual([0, 4, 5]);
    c.classify = () => 'plain';
    c.demote(5);
    c.set(6, feats()); // 5 was demoted: it goes before the older 0 and 4
    expect(c.frames()).toEqual([0, 4, 6]);
  });
});

describe('preencodeThreadPlan: all cores at the lowest priority (nice 19 and SCHED_IDLE) where both are per thread, else one core left free; an arena where memory allows', () => {
  const GiB = 2 ** 30;
  test.each([
    ['linux', 2, 24 * GiB, { threads: 2, nice: PREENCODE_NICE, idle: true, arena: true }],
    ['linux', 1, 8 * GiB, { threads: 1, nice: PREENCODE_NICE, idle: true, arena: true }],
    ['linux', 16, 64 * GiB, { threads: 16, nice: PREENCODE_NICE, idle: true, arena: true }],
    ['linux', 2, 8 * GiB - 1, { threads: 2, nice: PREENCODE_NICE, idle: true, arena: false }],
    ['win32', 2, 16 * GiB, { threads: 1, nice: null, idle: false, arena: true }],
    ['win32', 8, 4 * GiB, { threads: 7, nice: null, idle: false, arena: false }],
    ['darwin', 2, 8 * GiB, { threads: 1, nice: null, idle: false, arena: true }],
    ['darwin', 1, 4 * GiB, { threads: 1, nice: null, idle: false, arena: false }],
    ['linux', 0, 24 * GiB, { threads: 1, nice: PREENCODE_NICE, idle: true, arena: true }],
  ])('%s, engine threads %i, %i bytes → %j', (platform, threads, memory, want) => {
    expect(preencodeThreadPlan(platform, threads, memory)).toEqual(want);
  });
  test('the memory threshold is 8 GiB', () => expect(PREENCODE_ARENA_MIN_MEMORY).toBe(8 * GiB));
});
