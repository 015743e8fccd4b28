// Parity of EdgeTAM packs with the PyTorch reference (transformers EdgeTamVideoModel, float32) on
// the EdgeTAM micro pack, through the suite sam2-parity.test.ts uses for SAM 2.1: S1 and S3,
// strict and end to end, batched and one object at a time, at the documented level (edgetam-notes.md section 6: a
// correct engine lands near 3e-5). Then the mistakes the notes list must be caught by the same
// comparison: bf16 rounding of stored memories, and a wrong key rotary layout (the global and grid
// latents of each memory swapped, which is what the graph sees when an engine lays memories out
// in another order than the memory encoder returned them).
import { describe, expect, test } from 'vitest';
import { MemoryFrameSource } from '../../src-main/core/sam2/frame-source';
import { loadPack, type ModelPack } from '../../src-main/core/sam2/pack';
import { Sam2VideoPredictor } from '../../src-main/core/sam2/predictor';
import { EDGETAM_MICRO_PACK_DIR, loadEdgetamGolden } from '../fixtures/edgetam-micro/golden';
import { goldenFrames } from '../fixtures/sam2-micro/golden';
import { defineParitySuite } from '../fixtures/sam2-micro/parity-suite';
import { compareWithGolden, runScenario } from '../fixtures/sam2-micro/scenarios';

const g = loadEdgetamGolden();
let pack: ModelPack;

async function predictor(strict: boolean, edit?: (p: ModelPack) => ModelPack): Promise<Sam2VideoPredictor> {
  pack ??= await loadPack(EDGETAM_MICRO_PACK_DIR);
  // hole filling off: the goldens come from transformers, which has none
  // stored memories of frames 0/1/12 are compared after the pass: keep them all (the default output budget keeps the last few frames')
  const opts = { provider: 'cpu', threads: 2, batch: true, fillHoleArea: 0, outputCacheBytes: 1 << 30 } as const;
  return Sam2VideoPredictor.create(edit ? edit(pack) : pack, new MemoryFrameSource(goldenFrames(g, strict)), opts);
}

test('the micro pack is an EdgeTAM pack with float32 memories of 28 tokens', async () => {
  pack ??= await loadPack(EDGETAM_MICRO_PACK_DIR);
  expect(pack.manifest).toMatchObject({
    family: 'edgetam',
    memoryTokensPerFrame: 28,
    memoryLatents1d: 12,
    memoryLatents2d: 16,
    memoryBf16: false,
    memoryTokenMajor: true,
  });
});

const results = defineParitySuite({
  title: 'EdgeTAM parity (micro pack)',
  golden: g,
  predictor: (strict) => predictor(strict),
  afterRun(p, name, strict, lines) {
    if (name !== 'S1' || !strict) return;
    // the stored memories are the perceiver's float32 latents as the reference keeps them
    const mem = g.f32('S1/maskmem_features_f0_f1_f12'); // [3, obj, T, D]
    let d = 0;
    [0, 1, 12].forEach((f, r) =>
      [1, 2].forEach((id, k) => {
        const m = p.debugOutput(id, f)!.memory!;
        expect(m).toHaveLength(28 * 64);
        const ref = mem.subarray((r * 2 + k) * 28 * 64, (r * 2 + k + 1) * 28 * 64);
        for (let i = 0; i < m.length; i++) d = Math.max(d, Math.abs(m[i]! - ref[i]!));
      }),
    );
    lines.push(`strict     S1 stored memories of frames 0/1/12 max|Δ| ${d.toExponential(2)}`);
    expect(d).toBeLessThan(1e-4);
  },
});

describe('the parity comparison catches the mistakes the notes list', () => {
  test('memories rounded to bfloat16 (the SAM 2.1 rule kept for EdgeTAM) miss the goldens', async () => {
    const p = await predictor(true, (pk) => ({ ...pk, manifest: { ...pk.manifest, memoryBf16: true } }));
    try {
      const c = compareWithGolden(await runScenario(p, g, 'S1', true), g, 'S1');
      results.push(`mistake: bf16 memories           S1 max|Δlogit| ${c.maxAbs.toExponential(2)}`);
      // the notes measure 3e-3; the parity bound is 3e-4
      expect(c.maxAbs).toBeGreaterThan(1e-3);
    } finally {
      await p.dispose();
    }
  });

  test('global and grid latents swapped in the memory given to attention (wrong key rotary layout) miss the goldens', async () => {
    const p = await predictor(true);
    const { memoryLatents1d: L1, memoryTokensPerFrame: T, memDim: D } = p.pack.manifest;
    const graphs = p.core.graphs;
    const real = graphs.memoryAttention.bind(graphs);
    // each memory's T tokens reordered grid-first: the graph then rotates the global latents
    const swap = (a: Float32Array, batch: number, M: number, P: number) => {
      const out = a.slice();
      for (let b = 0; b < batch; b++) {
        for (let m = 0; m < (M - P) / T; m++) {
          const base = (b * M + m * T) * D;
          out.set(a.subarray(base + L1 * D, base + T * D), base);
          out.set(a.subarray(base, base + L1 * D), base + (T - L1) * D);
        }
      }
      return out;
    };
    graphs.memoryAttention = (cur, curPos, mem, memPos, batch, M, P) => real(cur, curPos, swap(mem, batch, M, P), swap(memPos, batch, M, P), batch, M, P);
    try {
      const c = compareWithGolden(await runScenario(p, g, 'S1', true), g, 'S1');
      results.push(`mistake: latent order swapped    S1 max|Δlogit| ${c.maxAbs.toExponential(2)}`);
      expect(c.maxAbs).toBeGreaterThan(0.1);
    } finally {
      await p.dispose();
    }
  });
});
