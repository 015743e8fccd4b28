// The engine on WebGPU at parity: S1 and S3 strict and S1 end to end against the PyTorch goldens,
// at the CPU tolerance, and a hidden-style scenario (prompts on several frames, a correction, a
// mask prompt, both directions) compared with the same run on the CPU. On machines without a GPU
// this runs through Mesa's lavapipe (software Vulkan): a correctness path, slow (≈ 1 min per
// 24-frame scenario on 2 idle cores), so end to end runs S1 only (S3 differs from it only in the
// shared resize, which the CPU parity test covers).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, test } from 'vitest';
import { MemoryFrameSource } from '../../src-main/core/sam2/frame-source';
import { loadPack } from '../../src-main/core/sam2/pack';
import { Sam2VideoPredictor } from '../../src-main/core/sam2/predictor';
import { goldenFrames, loadGolden, MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { compareWithGolden, runScenario } from '../fixtures/sam2-micro/scenarios';
import { fusedMicroAttention } from '../helpers/variant-packs';
import { webgpuSkipReason } from '../helpers/vulkan';
import { HIDDEN_FRAMES, maxAbsDiff, runHiddenStyle } from '../fixtures/sam2-micro/hidden-scenario';

const skip = webgpuSkipReason();
const g = loadGolden();
const results: string[] = [];

const LONG = 900_000;

async function predictor(provider: 'webgpu' | 'cpu', strict: boolean, frames?: number): Promise<Sam2VideoPredictor> {
  const pack = await loadPack(MICRO_PACK_DIR);
  return Sam2VideoPredictor.create(pack, new MemoryFrameSource(goldenFrames(g, strict).slice(0, frames)), { provider, threads: 2, fillHoleArea: 0 });
}

afterAll(() => {
  if (results.length) console.log(`SAM 2 parity on WebGPU (micro pack):\n${results.join('\n')}`);
});

describe.skipIf(skip !== null)('WebGPU', () => {
  test.each([
    ['strict', true, ['S1', 'S3']],
    ['end-to-end', false, ['S1']],
  ] as const)(
    '%s %j against the goldens at the CPU tolerance',
    async (mode, strict, names) => {
      const p = await predictor('webgpu', strict);
      try {
        expect(Object.values(p.stats().providers)).toEqual(['webgpu', 'webgpu', 'webgpu', 'webgpu']);
        expect(p.stats().attention).toBe('plain');
        for (const name of names) {
          p.reset();
          const c = compareWithGolden(await runScenario(p, g, name, strict), g, name);
          results.push(
            `${mode.padEnd(10)} ${name} max|Δlogit| ${c.maxAbs.toExponential(2)} (${c.worst}), min IoU low-res ${c.minIouLowRes.toFixed(5)}, min IoU video ${c.minIouVideo.toFixed(5)}, signs ${c.signsAgree ? 'agree' : 'DIFFER'}`,
          );
          expect(c.signsAgree).toBe(true);
          // the CPU provider's asserted level (sam2-parity.test.ts): ≤ 3e-4, IoU ≥ 0.9995
          // (measured on lavapipe: 1.18e-4 / 0.99955, docs/gpu.md)
          expect(c.maxAbs).toBeLessThanOrEqual(3e-4);
          expect(c.minIouLowRes).toBeGreaterThanOrEqual(0.9995);
          expect(c.minIouVideo).toBeGreaterThanOrEqual(0.9995);
        }
      } finally {
        await p.dispose();
      }
    },
    LONG,
  );

  test(
    'hidden-style scenario equals the CPU run',
    async () => {
      const runs = [];
      for (const provider of ['cpu', 'webgpu'] as const) {
        const p = await predictor(provider, false, HIDDEN_FRAMES);
        try {
          runs.push(await runHiddenStyle(p));
        } finally {
          await p.dispose();
        }
      }
      const d = maxAbsDiff(runs[0]!, runs[1]!);
      results.push(`hidden-style: ${runs[0]!.frames} frame-objects, WebGPU vs CPU max|Δlogit| ${d.maxAbs.toExponential(2)}, min IoU ${d.minIou.toFixed(5)}`);
      expect(runs[1]!.frames).toBe(runs[0]!.frames);
      // measured 2.79e-4 / 0.99954 (docs/gpu.md): two runs each ~1e-4 from the goldens
      expect(d.maxAbs).toBeLessThanOrEqual(5e-4);
      expect(d.minIou).toBeGreaterThanOrEqual(0.9995);
    },
    LONG,
  );

  test(
    'memory attention per variant: plain matches the CPU, fused does not (why the engine never runs fused on WebGPU)',
    async () => {
      // one memory frame (256 tokens) and two object pointers (4 tokens) for the micro pack
      const hw = 256,
        C = 128,
        D = 64,
        M = hw + 4;
      let x = 7;
      const rnd = (n: number) => Float32Array.from({ length: n }, () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 2);
      const feeds = {
        current_features: new ort.Tensor('float32', rnd(hw * C), [1, hw, C]),
        current_pos: new ort.Tensor('float32', rnd(hw * C), [1, hw, C]),
        memory: new ort.Tensor('float32', rnd(M * D), [1, M, D]),
        memory_pos: new ort.Tensor('float32', rnd(M * D), [1, M, D]),
        num_object_pointer_tokens: new ort.Tensor('int64', BigInt64Array.from([4n]), []),
      };
      const plain = readFileSync(join(MICRO_PACK_DIR, 'memory_attention.onnx'));
      const fused = fusedMicroAttention();
      const out = async (model: Uint8Array, ep: 'cpu' | 'webgpu') => {
        const s = await ort.InferenceSession.create(model, { executionProviders: [ep], logSeverityLevel: 3 });
        try {
          return (await s.run(feeds)).conditioned_feat!.data as Float32Array;
        } finally {
          await s.release();
        }
      };
      const reference = await out(plain, 'cpu');
      const diff = (a: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - reference[i]!)), 0);
      const d = {
        plainCpu: 0,
        fusedCpu: diff(await out(fused, 'cpu')),
        plainWebgpu: diff(await out(plain, 'webgpu')),
        fusedWebgpu: diff(await out(fused, 'webgpu')),
      };
      results.push(
        `memory attention vs plain on CPU, max|Δ|: fused cpu ${d.fusedCpu.toExponential(2)}, plain webgpu ${d.plainWebgpu.toExponential(2)}, fused webgpu ${d.fusedWebgpu.toExponential(2)}`,
      );
      expect(d.fusedCpu).toBeLessThan(1e-4);
      expect(d.plainWebgpu).toBeLessThan(1e-4);
      // the com.microsoft MultiHeadAttention bug on WebGPU (docs/gpu.md); if a new onnxruntime fixes
      // it this fails, and PROVEN_ATTENTION.webgpu can be widened after the engine parity test runs fused
      expect(d.fusedWebgpu).toBeGreaterThan(1e-2);
    },
    LONG,
  );
});
