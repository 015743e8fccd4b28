// Segment everything end to end on the micro pack and a generated frame of flat-coloured shapes:
// thresholds and NMS hold on the real decoder, a proposal is what the engine's own no-memory
// decoder call gives for its point, crops and m2m run, the frame's features are shared with
// clicks, busy/cancel behave, and kept proposals become objects that propagate.
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { decodeMask, rleIou } from '../../src-main/core/masks/rle';
import { generateMasks, predictorBackend, type AmgMask } from '../../src-main/core/sam2/amg';
import type { AmgFunnel } from '../../src-main/api/contract';
import { boxIou } from '../../src-main/core/sam2/amg/nms';
import { bilinearMask } from '../../src-main/core/sam2/bilinear';
import { MemoryFrameSource, type RgbFrame } from '../../src-main/core/sam2/frame-source';
import { loadPack, type ModelPack } from '../../src-main/core/sam2/pack';
import { Sam2VideoPredictor } from '../../src-main/core/sam2/predictor';
import { encodeMask } from '../../src-main/core/masks/rle';
import { MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';

const W = 320;
const H = 180;

/** Frame t: a red disc moving right, a blue rectangle, a green triangle, on grey. */
function frame(t: number): RgbFrame {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let c = [96, 96, 96];
      if ((x - 80 - 4 * t) ** 2 + (y - 90) ** 2 < 35 ** 2) c = [220, 30, 30];
      else if (x > 150 && x < 210 && y > 40 && y < 100) c = [30, 40, 220];
      else if (x > 230 && x < 300 && y > 110 && y < 170 - (x - 230) / 2) c = [40, 200, 60];
      data.set(c, (y * W + x) * 3);
    }
  }
  return { width: W, height: H, data };
}

let pack: ModelPack;
const open: Sam2VideoPredictor[] = [];
beforeAll(async () => {
  pack = await loadPack(MICRO_PACK_DIR);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.dispose()));
});
async function predictor(frames = 1): Promise<Sam2VideoPredictor> {
  const p = await Sam2VideoPredictor.create(pack, new MemoryFrameSource(Array.from({ length: frames }, (_, t) => frame(t))), { provider: 'cpu', threads: 2 });
  open.push(p);
  return p;
}
const xyxy = (m: AmgMask) => [m.bbox[0], m.bbox[1], m.bbox[0] + m.bbox[2], m.bbox[1] + m.bbox[3]];

describe('segment everything on the micro pack', () => {
  test('thresholds hold: every kept mask has predicted IoU > pred_iou_thresh and stability ≥ stability_score_thresh', async () => {
    const p = await predictor();
    const r = await generateMasks(predictorBackend(p), 0, { pointsPerSide: 16, predIouThresh: 0.5, stabilityScoreThresh: 0.5 });
    expect(r.stats).toMatchObject({ points: 256, decodedMasks: 768, decoderCalls: 4 });
    // the filters did something, and something passed them
    expect(r.stats.passedFilters).toBeGreaterThan(0);
    expect(r.stats.passedFilters).toBeLessThan(r.stats.decodedMasks);
    expect(r.masks.length).toBeGreaterThan(0);
    for (const m of r.masks) {
      expect(m.predictedIou).toBeGreaterThan(0.5);
      expect(m.stabilityScore).toBeGreaterThanOrEqual(0.5);
      expect(m.area).toBe(decodeMask(m.segmentation).reduce((s, v) => s + v, 0));
    }
  });

  test("the funnel on the real decoder: thresholds that remove everything, and with crops and clean-up; each stage's input is the previous stage's output", async () => {
    const p = await predictor();
    const chained = (f: AmgFunnel) => {
      let input = f.candidates;
      for (const s of f.stages) {
        expect(s.input, s.filter).toBe(input);
        input = s.kept;
      }
      return input;
    };
    // the official defaults: nothing survives the random weights, and the funnel says where it stopped
    const none = await generateMasks(predictorBackend(p), 0, { pointsPerSide: 8 });
    expect(none.masks).toEqual([]);
    expect(none.stats.funnel.candidates).toBe(192);
    expect(none.stats.funnel.stages.map((s) => s.filter)).toEqual(['predIou', 'stability', 'boxNms']);
    expect(chained(none.stats.funnel)).toBe(0);
    const stop = none.stats.funnel.stages.find((s) => s.input > 0 && s.kept === 0)!;
    expect(stop.best).not.toBeNull();
    expect(stop.best!).toBeLessThan(stop.threshold!);

    const some = await generateMasks(predictorBackend(p), 0, {
      pointsPerSide: 8,
      predIouThresh: 0.3,
      stabilityScoreThresh: 0.3,
      cropNLayers: 1,
      postprocessMinArea: 50,
    });
    const f = some.stats.funnel;
    expect(f.stages.map((s) => s.filter)).toEqual(['predIou', 'stability', 'cropEdge', 'boxNms', 'cropNms', 'smallRegions']);
    expect(f.candidates).toBe(some.stats.decodedMasks);
    expect(chained(f)).toBe(some.masks.length);
    expect(f.stages[2]!.kept).toBe(some.stats.passedFilters);
    expect(some.masks.length).toBeGreaterThan(0);
  });

  test('NMS leaves no pair of kept masks with box IoU above box_nms_thresh', async () => {
    const p = await predictor();
    const r = await generateMasks(predictorBackend(p), 0, { pointsPerSide: 16, predIouThresh: 0, stabilityScoreThresh: 0, boxNmsThresh: 0.5 });
    expect(r.masks.length).toBeGreaterThan(10);
    expect(r.masks.length).toBeLessThan(r.stats.passedFilters);
    for (let i = 0; i < r.masks.length; i++)
      for (let j = i + 1; j < r.masks.length; j++) expect(boxIou(xyxy(r.masks[i]!), xyxy(r.masks[j]!))).not.toBeGreaterThan(0.5);
  });

  test("a proposal is what the engine's own single-point, no-memory decoder call gives for its point", async () => {
    const p = await predictor();
    const r = await generateMasks(predictorBackend(p), 0, { pointsPerSide: 16, pointsPerBatch: 64, predIouThresh: 0.5, stabilityScoreThresh: 0.5 });
    const m = r.masks[0]!;
    const [x, y] = m.pointCoords[0]!;
    const S = pack.manifest.imageSize;
    const coords = Float32Array.from([Math.fround(Math.fround(x / W) * S), Math.fround(Math.fround(y / H) * S), 0, 0]);
    const out = await p.decodeWithoutMemory(0, coords, Int32Array.from([1, -1]), 1, 2);
    const L = 4 * pack.manifest.featSize;
    const token = [1, 2, 3].find((k) => Math.abs(out.iou[k]! - m.predictedIou) < 1e-4);
    expect(token).toBeDefined();
    const mask = bilinearMask(out.lowRes.subarray(token! * L * L, (token! + 1) * L * L), L, L, H, W);
    expect(rleIou(encodeMask(mask, H, W), m.segmentation)).toBeGreaterThan(0.99);
  });

  test('a smaller batch after a larger one reads the first rows of the kept feature copies: same outputs as its own copies', async () => {
    const p = await predictor();
    const coords = (n: number) => Float32Array.from({ length: n * 4 }, (_, i) => (i % 4 < 2 ? 20 + 7 * i : 0));
    const labels = (n: number) => Int32Array.from({ length: n * 2 }, (_, i) => (i % 2 ? -1 : 1));
    const shared = predictorBackend(p);
    const f = await shared.frameFeatures(0);
    await shared.decode(f, { coords: coords(16), labels: labels(16), batch: 16, numPoints: 2 });
    const viewed = await shared.decode(f, { coords: coords(9), labels: labels(9), batch: 9, numPoints: 2 });
    const fresh = predictorBackend(p);
    const own = await fresh.decode(await fresh.frameFeatures(0), { coords: coords(9), labels: labels(9), batch: 9, numPoints: 2 });
    expect(
      Buffer.from(viewed.lowRes.buffer, viewed.lowRes.byteOffset, viewed.lowRes.byteLength).equals(
        Buffer.from(own.lowRes.buffer, own.lowRes.byteOffset, own.lowRes.byteLength),
      ),
    ).toBe(true);
    expect(Array.from(viewed.iou)).toEqual(Array.from(own.iou));
  });

  test('crop layers encode each crop and m2m refines; both run end to end with their records', async () => {
    const p = await predictor();
    const before = p.stats().graphs.image_encoder.calls;
    const r = await generateMasks(predictorBackend(p), 0, {
      pointsPerSide: 8,
      cropNLayers: 1,
      useM2m: true,
      predIouThresh: 0,
      stabilityScoreThresh: 0,
      minMaskRegionArea: 4,
    });
    expect(p.stats().graphs.image_encoder.calls - before).toBe(1 + 4);
    expect(r.stats.crops).toBe(5);
    expect(r.stats.points).toBe(5 * 64);
    // m2m: one prompt call per batch plus a refinement call per 64 of its 192 masks
    expect(r.stats.decoderCalls).toBe(5 * (1 + 3));
    const crops = new Set(r.masks.map((m) => m.cropBox.join(',')));
    expect(crops.size).toBeGreaterThan(1);
    for (const m of r.masks) {
      expect(m.segmentation).toMatchObject({ h: H, w: W });
      const [cx, cy, cw, ch] = m.cropBox;
      const [px, py] = m.pointCoords[0]!;
      expect(px >= cx && px <= cx + cw && py >= cy && py <= cy + ch).toBe(true);
    }
  });

  test("the frame's features are shared: a click after segment everything does not run the image encoder again", async () => {
    const p = await predictor();
    await generateMasks(predictorBackend(p), 0, { pointsPerSide: 4 });
    const calls = p.stats().graphs.image_encoder.calls;
    await p.addPoints(0, 1, { points: [[80, 90]], labels: [1] });
    expect(p.stats().graphs.image_encoder.calls).toBe(calls);
  });

  test('kept proposals become objects with a mask prompt on the frame and propagate together', async () => {
    const p = await predictor(4);
    const r = await generateMasks(predictorBackend(p), 1, { pointsPerSide: 16, predIouThresh: 0, stabilityScoreThresh: 0 });
    const kept = [...r.masks].sort((a, b) => b.area - a.area).slice(0, 3);
    expect(kept.length).toBe(3);
    for (const [i, m] of kept.entries()) await p.addMask(1, 10 + i, decodeMask(m.segmentation));
    expect(p.objectIds).toEqual([10, 11, 12]);
    expect(p.promptedFrames(11)).toEqual([1]);
    const frames: number[] = [];
    for await (const f of p.propagate({ start: 1 })) {
      frames.push(f.frame);
      expect(f.objects.map((o) => o.objId)).toEqual([10, 11, 12]);
      for (const o of f.objects) expect(o.mask).toHaveLength(W * H);
    }
    expect(frames).toEqual([1, 2, 3]);
    for (const id of [10, 11, 12]) expect(p.outputFrames(id)).toEqual([1, 2, 3]);
  });

  test('busy during a propagation; a cancelled run leaves the engine usable', async () => {
    const p = await predictor(3);
    await p.addPoints(0, 1, { points: [[80, 90]], labels: [1] });
    const it = p.propagate();
    await it.next();
    await expect(generateMasks(predictorBackend(p), 0, { pointsPerSide: 4 })).rejects.toMatchObject({ code: 'BUSY' });
    await it.return(undefined);
    const ac = new AbortController();
    const cancelled = generateMasks(
      predictorBackend(p),
      0,
      { pointsPerSide: 16, pointsPerBatch: 16 },
      { signal: ac.signal, onProgress: (s) => s.done >= 32 && ac.abort() },
    );
    await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' });
    const again = await generateMasks(predictorBackend(p), 0, { pointsPerSide: 4 });
    expect(again.stats.points).toBe(16);
  });
});
