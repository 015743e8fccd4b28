// Memory policy on the micro pack: frame features are computed once and reused; stored outputs
// stay bounded (O(objects × num_maskmem) plus an LRU budget); evicted memories are recomputed on
// demand, and how far that moves results is measured against a run that keeps everything.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MemoryFrameSource } from '../../src-main/core/sam2/frame-source';
import { loadPack, type ModelPack } from '../../src-main/core/sam2/pack';
import { Sam2VideoPredictor, type FrameResult } from '../../src-main/core/sam2/predictor';
import { goldenFrames, loadGolden, MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { iou } from '../fixtures/sam2-micro/scenarios';

const g = loadGolden();
let pack: ModelPack;
const report: string[] = [];

beforeAll(async () => {
  pack = await loadPack(MICRO_PACK_DIR);
});
afterAll(() => console.log(`SAM 2 memory policy (micro pack):\n${report.join('\n')}`));

function create(outputCacheBytes: number, featureCacheBytes = 1 << 30): Promise<Sam2VideoPredictor> {
  return Sam2VideoPredictor.create(pack, new MemoryFrameSource(goldenFrames(g, false)), {
    provider: 'cpu',
    threads: 2,
    outputCacheBytes,
    featureCacheBytes,
    fillHoleArea: 0,
  });
}

async function frames(p: Sam2VideoPredictor, opts: Parameters<Sam2VideoPredictor['propagate']>[0]): Promise<FrameResult[]> {
  const out: FrameResult[] = [];
  for await (const f of p.propagate({ lowRes: true, ...opts })) out.push(f);
  return out;
}

function diff(a: FrameResult[], b: FrameResult[]): { maxAbs: number; minIou: number } {
  let maxAbs = 0;
  let minIou = 1;
  a.forEach((fa, i) => {
    fa.objects.forEach((o, k) => {
      const x = o.lowRes!;
      const y = b[i]!.objects[k]!.lowRes!;
      for (let j = 0; j < x.length; j++) maxAbs = Math.max(maxAbs, Math.abs(x[j]! - y[j]!));
      minIou = Math.min(minIou, iou(x, y));
    });
  });
  return { maxAbs, minIou };
}

const entryBytes = 64 * 64 * 4 + 16 * 16 * 64 * 2; // low-res logits + bf16 memory of the micro pack

describe('feature cache', () => {
  test('each frame is encoded once; clicks and later passes reuse the features', async () => {
    const p = await create(1 << 30);
    try {
      await p.addPoints(0, 1, { points: [[40, 90]], labels: [1] });
      await frames(p, {});
      expect(p.stats().graphs.image_encoder.calls).toBe(24);
      await p.addPoints(12, 1, { points: [[154, 90]], labels: [1] });
      await frames(p, { start: 10, maxFrames: 5 });
      expect(p.stats().graphs.image_encoder.calls).toBe(24);
      expect((await p.getFrameFeatures(3)).visionFeat.length).toBe(128 * 16 * 16);
    } finally {
      await p.dispose();
    }
  });

  test('a small budget bounds the cache and recomputes features when needed', async () => {
    // 2 frames of micro features (16·64² + 32·32² + 128·16²) · 4 bytes
    const frameBytes = (16 * 64 * 64 + 32 * 32 * 32 + 128 * 16 * 16) * 4;
    const p = await create(1 << 30, 2 * frameBytes);
    try {
      await p.addPoints(0, 1, { points: [[40, 90]], labels: [1] });
      await frames(p, { maxFrames: 5 });
      expect(p.stats().featureCache.frames).toBeLessThanOrEqual(2);
      await p.addPoints(1, 1, { points: [[49, 90]], labels: [1] });
      expect(p.stats().graphs.image_encoder.calls).toBe(7);
    } finally {
      await p.dispose();
    }
  });
});

describe('bounded outputs and recomputation', () => {
  let keepAll: Sam2VideoPredictor;
  let bounded: Sam2VideoPredictor;
  beforeAll(async () => {
    keepAll = await create(1 << 30);
    bounded = await create(0);
  });
  afterAll(async () => {
    await keepAll.dispose();
    await bounded.dispose();
  });

  test('forward propagation keeps only the frames it can still select', async () => {
    for (const p of [keepAll, bounded]) {
      await p.addPoints(0, 1, { points: [[40, 90]], labels: [1] });
      await p.addPoints(0, 2, { points: [], labels: [], box: [137, 2, 183, 48] });
    }
    const a = await frames(keepAll, {});
    const b = await frames(bounded, {});
    // identical results: the frames memory attention reads are never evicted during a pass
    expect(diff(a, b).maxAbs).toBe(0);
    const s = bounded.stats().outputs;
    expect(s.evictions).toBeGreaterThan(0);
    expect(s.recomputedMemories).toBe(0);
    expect(s.evictableBytes).toBeLessThanOrEqual(2 * 6 * entryBytes);
    report.push(`forward S1, output budget 0: ${s.evictions} evictions, ${s.evictableBytes} bytes kept (2 objects × 6 frames × ${entryBytes})`);
  });

  test('a correction after propagation recomputes evicted memories and uses substitute logits', async () => {
    const corr = {
      points: [
        [154, 90],
        [166, 138],
      ] as [number, number][],
      labels: [1, 0],
    };
    const a = await keepAll.addPoints(12, 1, corr, { lowRes: true });
    const b = await bounded.addPoints(12, 1, corr, { lowRes: true });
    const d = diff([a], [b]);
    report.push(
      `correction on frame 12 after propagation: max|Δlogit| ${d.maxAbs.toFixed(3)}, min IoU ${d.minIou.toFixed(4)} (recomputed memories: ${bounded.stats().outputs.recomputedMemories})`,
    );
    expect(bounded.stats().outputs.recomputedMemories).toBeGreaterThan(0);
    expect(d.minIou).toBeGreaterThan(0.9);
  });

  test('re-propagation and a reverse pass over evicted frames (spec 7.6 C)', async () => {
    const fa = await frames(keepAll, {});
    const fb = await frames(bounded, {});
    const d1 = diff(fa, fb);
    report.push(`re-propagation 0..23 after the correction: max|Δlogit| ${d1.maxAbs.toFixed(3)}, min IoU ${d1.minIou.toFixed(4)}`);
    const ra = await frames(keepAll, { start: 20, reverse: true });
    const rb = await frames(bounded, { start: 20, reverse: true });
    const d2 = diff(ra, rb);
    report.push(
      `reverse pass 20..0 reading forward results: max|Δlogit| ${d2.maxAbs.toFixed(3)}, min IoU ${d2.minIou.toFixed(4)} (recomputed memories: ${bounded.stats().outputs.recomputedMemories})`,
    );
    expect(d1.minIou).toBeGreaterThan(0.9);
    expect(d2.minIou).toBeGreaterThan(0.9);
  });
});
