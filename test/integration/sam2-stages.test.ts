// Stage by stage against the reference on the micro pack: image-encoder outputs of frame 0,
// the memory position encoding, and S1's stored object pointers and bf16 memory features.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { MemoryFrameSource } from '../../src-main/core/sam2/frame-source';
import { Sam2VideoPredictor } from '../../src-main/core/sam2/predictor';
import { goldenFrames, loadGolden, MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { runScenario } from '../fixtures/sam2-micro/scenarios';

const g = loadGolden();
let p: Sam2VideoPredictor;
const report: string[] = [];

beforeAll(async () => {
  // every stored output is compared, so none may be evicted (the default budget keeps only the last few frames')
  p = await Sam2VideoPredictor.create(MICRO_PACK_DIR, new MemoryFrameSource(goldenFrames(g, true)), {
    provider: 'cpu',
    threads: 2,
    fillHoleArea: 0,
    outputCacheBytes: 1 << 30,
  });
  await runScenario(p, g, 'S1', true);
});
afterAll(async () => {
  console.log(`SAM 2 stages (micro pack, S1):\n${report.join('\n')}`);
  await p.dispose();
});

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

test('image encoder: frame 0 features and position encoding', async () => {
  const f = await p.getFrameFeatures(0);
  const d = maxAbs(f.visionFeat, g.f32('vision/frame0_vision_feat_level2'));
  const pos = p.core.visionPosTokens!;
  const want = g.f32('vision/frame0_vision_pos_level2'); // [C, h, w]
  const C = 128;
  const hw = 256;
  let dp = 0;
  for (let c = 0; c < C; c++) for (let n = 0; n < hw; n++) dp = Math.max(dp, Math.abs(pos[n * C + c]! - want[c * hw + n]!));
  report.push(`vision_feat max|Δ| ${d.toExponential(2)}, vision_pos max|Δ| ${dp.toExponential(2)}`);
  expect(d).toBeLessThan(1e-4);
  expect(dp).toBeLessThan(1e-5);
});

test('memory position encoding (temporal row added per memory)', () => {
  const want = g.f32('S1/maskmem_pos_enc'); // [hw, 64]
  const tpos = p.pack.params.memoryTemporalPosEnc;
  const row6 = p.core.posByRow![6]!;
  let d = 0;
  for (let i = 0; i < want.length; i++) d = Math.max(d, Math.abs(row6[i]! - Math.fround(want[i]! + tpos[6 * 64 + (i % 64)]!)));
  expect(d).toBeLessThan(1e-6);
});

/** The spacing of bf16 values at magnitude v (8 significant bits). */
const bf16Ulp = (v: number) => (v === 0 ? 2 ** -133 : 2 ** (Math.floor(Math.log2(v)) - 7));

test('stored object pointers and bf16 memory features of frames 0, 1 and 12', () => {
  const ptrs = g.f32('S1/object_pointer'); // [frame, obj, 128]
  let dPtr = 0;
  for (let f = 0; f < 24; f++) {
    [1, 2].forEach((id, k) => {
      const o = p.debugOutput(id, f)!;
      dPtr = Math.max(dPtr, maxAbs(o.objPtr, ptrs.subarray((f * 2 + k) * 128, (f * 2 + k + 1) * 128)));
    });
  }
  const mem = g.f32('S1/maskmem_features_f0_f1_f12'); // [3, obj, hw, 64], bf16 values
  let dMem = 0;
  let beyond = 0;
  let exact = 0;
  let total = 0;
  [0, 1, 12].forEach((f, r) => {
    [1, 2].forEach((id, k) => {
      const m = p.debugOutput(id, f)!.memory!;
      const ref = mem.subarray((r * 2 + k) * 256 * 64, (r * 2 + k + 1) * 256 * 64);
      dMem = Math.max(dMem, maxAbs(m, ref));
      for (let i = 0; i < m.length; i++, total++) {
        if (m[i] === ref[i]) exact++;
        else beyond = Math.max(beyond, Math.abs(m[i]! - ref[i]!) / Math.max(2e-2, bf16Ulp(Math.max(Math.abs(m[i]!), Math.abs(ref[i]!)))));
      }
    });
  });
  report.push(
    `object pointers max|Δ| ${dPtr.toExponential(2)}; memory features max|Δ| ${dMem.toExponential(2)}, ${((100 * exact) / total).toFixed(2)} % bit-identical bf16 values`,
  );
  expect(dPtr).toBeLessThan(1e-3);
  // each value within 2e-2 of the reference, or one bf16 unit in the last place where that is
  // more: float rounding a few 1e-6 apart can tip a large value's rounding to bf16 the other way
  // (0.03125 for values in [4, 8)); a wrong memory path moves most values by far more
  expect(beyond).toBeLessThanOrEqual(1);
  expect(exact / total).toBeGreaterThan(0.95);
});

test('the no-memory decoder on cached features reproduces a first click (automatic mask generation builds on it)', async () => {
  const calls = p.stats().graphs.image_encoder.calls;
  // S1's click (40, 90) in the 256×256 frame is (32, 128), plus the padding point
  const d = await p.decodeWithoutMemory(0, Float32Array.from([32, 128, 0, 0]), Int32Array.from([1, -1]), 1, 2);
  expect(p.stats().graphs.image_encoder.calls).toBe(calls);
  expect(d.lowRes.length).toBe(4 * 64 * 64);
  let best = 1;
  for (let k = 2; k <= 3; k++) if (d.iou[k]! > d.iou[best]!) best = k;
  const stored = p.debugOutput(1, 0)!;
  expect(stored.isCond).toBe(true);
  expect(maxAbs(d.lowRes.subarray(best * 4096, (best + 1) * 4096), stored.lowRes!)).toBe(0);
  expect(maxAbs(d.pointers.subarray(best * 128, (best + 1) * 128), stored.objPtr)).toBe(0);
  await expect(p.decodeWithoutMemory(0, new Float32Array(3), new Int32Array(2), 1, 2)).rejects.toThrow(/do not match/);
});
