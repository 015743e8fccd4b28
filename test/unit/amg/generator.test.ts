// The generator's order of operations on a scripted decoder (fake-backend.ts): batching, the
// filters and their boundaries, NMS within and across crops, crop-edge filtering, mask-to-mask
// refinement, the single-mask rule, low-res clean-up, records, progress, cancel, bad options.
import { describe, expect, test } from 'vitest';
import { decodeMask } from '../../../src-main/core/masks/rle';
import { generateMasks, type AmgMask } from '../../../src-main/core/sam2/amg/generator';
import { buildPointGrid, gridToCropPixels, toModelCoord } from '../../../src-main/core/sam2/amg/grid';
import { boxIou } from '../../../src-main/core/sam2/amg/nms';
import { maskToBox } from '../../../src-main/core/sam2/amg/boxes';
import { EngineError } from '../../../src-main/core/sam2/errors';
import { DISCS, fakeBackend, H, nearestDisc, S, token1Iou, W } from './fake-backend';

const xyxy = (m: AmgMask) => [m.bbox[0], m.bbox[1], m.bbox[0] + m.bbox[2], m.bbox[1] + m.bbox[3]];
const discOf = (m: AmgMask) => nearestDisc(m.pointCoords[0]![0], m.pointCoords[0]![1]);

describe('one crop', () => {
  test('one decoder call per batch: B = points in the batch, P = 2 (the point, label 1, and the padding point (0,0), label −1)', async () => {
    const b = fakeBackend();
    await generateMasks(b, 3, { pointsPerSide: 4, pointsPerBatch: 5 });
    expect(b.frameCalls).toEqual([3]);
    expect(b.calls.map((c) => [c.batch, c.numPoints, c.maskInput])).toEqual([
      [5, 2, null],
      [5, 2, null],
      [5, 2, null],
      [1, 2, null],
    ]);
    const px = gridToCropPixels(buildPointGrid(4), W, H);
    const all = b.calls.flatMap((c) =>
      Array.from({ length: c.batch }, (_, i) => [...c.coords.subarray(i * 4, i * 4 + 4), ...c.labels.subarray(i * 2, i * 2 + 2)]),
    );
    expect(all).toEqual(Array.from({ length: 16 }, (_, i) => [toModelCoord(px[2 * i]!, W, S), toModelCoord(px[2 * i + 1]!, H, S), 0, 0, 1, -1]));
  });

  test('each disc once, from its best click: filters, then NMS by predicted IoU', async () => {
    const b = fakeBackend();
    const r = await generateMasks(b, 0, { pointsPerSide: 4 });
    expect(r.stats).toMatchObject({ crops: 1, points: 16, decodedMasks: 48, passedFilters: 16, kept: 3 });
    expect(r.masks.map(discOf).sort()).toEqual([0, 1, 2]);
    // the survivor of each disc is the click with the highest token-1 IoU among the clicks nearest it
    const px = gridToCropPixels(buildPointGrid(4), W, H);
    for (const m of r.masks) {
      const clicks = Array.from({ length: 16 }, (_, i) => [px[2 * i]!, px[2 * i + 1]!] as const).filter(([x, y]) => nearestDisc(x, y) === discOf(m));
      expect(m.predictedIou).toBe(Math.max(...clicks.map(([x, y]) => token1Iou(x, y))));
    }
    // kept in descending predicted IoU, as NMS leaves them
    expect(r.masks.map((m) => m.predictedIou)).toEqual([...r.masks.map((m) => m.predictedIou)].sort((a, c) => c - a));
  });

  test('records carry the official fields, consistent with their mask', async () => {
    const r = await generateMasks(fakeBackend(), 0, { pointsPerSide: 4 });
    for (const m of r.masks) {
      expect(m.segmentation).toMatchObject({ h: H, w: W });
      const bits = decodeMask(m.segmentation);
      expect(m.area).toBe(bits.reduce((s, v) => s + v, 0));
      expect(xyxy(m)).toEqual(maskToBox(bits, H, W));
      expect(m.cropBox).toEqual([0, 0, W, H]);
      const d = DISCS[discOf(m)]!;
      expect(Math.abs(m.area - Math.PI * d.r * d.r) / (Math.PI * d.r * d.r)).toBeLessThan(0.1);
      expect(m.predictedIou).toBeGreaterThan(0.8);
      expect(m.stabilityScore).toBeGreaterThanOrEqual(0.95);
    }
  });

  test('pred_iou_thresh is strict (>), stability_score_thresh inclusive (≥)', async () => {
    const base = await generateMasks(fakeBackend(), 0, { pointsPerSide: 4 });
    const best = base.masks[0]!;
    const atIou = await generateMasks(fakeBackend(), 0, { pointsPerSide: 4, predIouThresh: best.predictedIou });
    expect(atIou.masks.some((m) => m.predictedIou === best.predictedIou)).toBe(false);
    const s = Math.min(...base.masks.map((m) => m.stabilityScore));
    const atStab = await generateMasks(fakeBackend(), 0, { pointsPerSide: 4, stabilityScoreThresh: s });
    expect(atStab.masks.length).toBe(3);
    const above = await generateMasks(fakeBackend(), 0, { pointsPerSide: 4, stabilityScoreThresh: s + 1e-6 });
    expect(above.masks.length).toBe(2);
  });

  test('filters off: every token passes, and NMS still leaves no pair above its threshold', async () => {
    const r = await generateMasks(fakeBackend(), 0, { pointsPerSide: 4, predIouThresh: 0, stabilityScoreThresh: 0, boxNmsThresh: 0.5 });
    expect(r.stats.passedFilters).toBe(48);
    expect(r.masks.length).toBeGreaterThan(3);
    for (let i = 0; i < r.masks.length; i++)
      for (let j = i + 1; j < r.masks.length; j++) expect(boxIou(xyxy(r.masks[i]!), xyxy(r.masks[j]!))).not.toBeGreaterThan(0.5);
  });

  test('single-mask output: one mask per click by the stability rule (token 0 unstable → best of 1..3)', async () => {
    const r = await generateMasks(fakeBackend(), 0, { pointsPerSide: 4, multimaskOutput: false });
    expect(r.stats).toMatchObject({ decodedMasks: 16, passedFilters: 16, kept: 3 });
    expect(r.masks.every((m) => m.predictedIou > 0.9)).toBe(true);
  });

  test('m2m: every mask once more with its own logits (clamped to ±32) as mask prompt, single-mask output', async () => {
    const b = fakeBackend();
    const r = await generateMasks(b, 0, { pointsPerSide: 4, pointsPerBatch: 8, useM2m: true });
    const prompted = b.calls.filter((c) => c.maskInput);
    // 2 batches of 8 clicks → 24 masks each → 3 refinement calls of ≤ 8 per batch
    expect(b.calls.length).toBe(2 + 6);
    expect(prompted.map((c) => c.batch)).toEqual([8, 8, 8, 8, 8, 8]);
    const values = prompted.flatMap((c) => [Math.max(...c.maskInput!), Math.min(...c.maskInput!)]);
    expect(Math.max(...values)).toBe(32);
    expect(Math.min(...values)).toBe(-32);
    // refined masks carry the refinement's IoU; every token became a stable disc
    expect(r.stats).toMatchObject({ decodedMasks: 48, passedFilters: 48, kept: 3 });
    expect(r.masks.every((m) => m.predictedIou === Math.fround(0.97))).toBe(true);
  });

  test('min_mask_region_area cleans the low-res logits before upsampling (a speck leaves the box)', async () => {
    const withSpeck = await generateMasks(fakeBackend({ speck: true }), 0, { pointsPerSide: 4 });
    const a = withSpeck.masks.find((m) => discOf(m) === 0)!;
    expect(a.bbox[1] + a.bbox[3]).toBeGreaterThan(100); // the box reaches down to the speck
    const cleaned = await generateMasks(fakeBackend({ speck: true }), 0, { pointsPerSide: 4, minMaskRegionArea: 4 });
    const c = cleaned.masks.find((m) => discOf(m) === 0)!;
    expect(c.bbox[1] + c.bbox[3]).toBeLessThan(90);
    expect(c.area).toBeLessThan(a.area);
  });
});

describe('crop layers', () => {
  test('crops are encoded on their own; masks cut by an inner crop edge are dropped; between crops the smaller crop wins', async () => {
    const b = fakeBackend();
    const r = await generateMasks(b, 0, { pointsPerSide: 4, cropNLayers: 1, cropOverlapRatio: 0 });
    expect(b.frameCalls).toEqual([0]);
    expect(b.cropCalls).toEqual([
      [0, 0, 100, 60],
      [0, 60, 100, 120],
      [100, 0, 200, 60],
      [100, 60, 200, 120],
    ]);
    expect(r.stats.crops).toBe(5);
    expect(r.stats.points).toBe(80);
    // discs 0 and 1 straddle y = 60 inside the frame: only the whole-frame crop keeps them;
    // disc 2 lies inside the bottom-right crop, whose copy wins over the whole frame's
    const byDisc = new Map(r.masks.map((m) => [discOf(m), m.cropBox]));
    expect([...byDisc.keys()].sort()).toEqual([0, 1, 2]);
    expect(byDisc.get(0)).toEqual([0, 0, W, H]);
    expect(byDisc.get(1)).toEqual([0, 0, W, H]);
    expect(byDisc.get(2)).toEqual([100, 60, 100, 60]);
    expect(r.masks).toHaveLength(3);
    // order: the smaller crop's mask first (NMS by 1 / crop area)
    expect(r.masks[0]!.cropBox).toEqual([100, 60, 100, 60]);
  });
});

describe('progress, cancel, bad input', () => {
  test('progress counts grid points up to the total', async () => {
    const seen: number[] = [];
    await generateMasks(fakeBackend(), 0, { pointsPerSide: 4, pointsPerBatch: 6 }, { onProgress: (p) => seen.push(p.done) });
    expect(seen).toEqual([0, 6, 12, 16]);
  });

  test('an aborted signal stops before the next decoder call with EngineError CANCELLED', async () => {
    const b = fakeBackend();
    const ac = new AbortController();
    const run = generateMasks(b, 0, { pointsPerSide: 4, pointsPerBatch: 4 }, { signal: ac.signal, onProgress: (p) => p.done >= 4 && ac.abort() });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(b.calls.length).toBe(1);
  });

  test.each([
    [{ pointsPerSide: 0 }, /pointsPerSide must be at least 1/],
    [{ pointsPerBatch: 2.5 }, /pointsPerBatch must be an integer/],
    [{ predIouThresh: 1.5 }, /predIouThresh must be at most 1/],
    [{ boxNmsThresh: Number.NaN }, /boxNmsThresh must be a finite number/],
    [{ useM2m: 'yes' }, /useM2m must be true or false/],
    [{ pointsPerSides: 8 }, /unknown segment-everything option "pointsPerSides"/],
  ])('%j is refused before any work', async (opts, msg) => {
    const b = fakeBackend();
    const err = await generateMasks(b, 0, opts as never).catch((e) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toBe('BAD_ARGUMENT');
    expect(err.message).toMatch(msg);
    expect(b.calls.length + b.frameCalls.length).toBe(0);
  });
});
