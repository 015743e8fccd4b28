// Parity with the PyTorch reference (transformers Sam2VideoModel, float32) on the micro pack:
// S1 (a click and a box on frame 0, forward) and S3 (two clicks on frame 16, reverse), strict
// (the reference's S×S frames) and end to end (original frames, the engine's own resize),
// batched as the app runs and one object at a time.
import { afterAll, describe, expect, test } from 'vitest';
import { MemoryFrameSource } from '../../src-main/core/sam2/frame-source';
import { loadPack, type ModelPack } from '../../src-main/core/sam2/pack';
import { Sam2VideoPredictor } from '../../src-main/core/sam2/predictor';
import { goldenFrames, loadGolden, MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { compareWithGolden, runScenario, type ScenarioRun } from '../fixtures/sam2-micro/scenarios';

const g = loadGolden();
let pack: ModelPack;
const results: string[] = [];
const runs = new Map<string, ScenarioRun>();

async function predictor(strict: boolean, batch: boolean): Promise<Sam2VideoPredictor> {
  pack ??= await loadPack(MICRO_PACK_DIR);
  // hole filling off: the goldens come from transformers, which has none
  return Sam2VideoPredictor.create(pack, new MemoryFrameSource(goldenFrames(g, strict)), { provider: 'cpu', threads: 2, batch, fillHoleArea: 0 });
}

afterAll(() => {
  console.log(`SAM 2 parity (micro pack):\n${results.join('\n')}`);
});

describe.each([
  ['strict', true],
  ['end-to-end', false],
] as const)('%s mode', (mode, strict) => {
  test.each(['S1', 'S3'] as const)('%s, batched and one object at a time', async (name) => {
    const p = await predictor(strict, true);
    try {
      for (const batch of [true, false]) {
        // the same predictor for both runs: reset() keeps the cached frame features
        p.reset();
        p.core.batch = batch;
        const before = structuredClone(p.stats().graphs);
        const run = await runScenario(p, g, name, strict);
        runs.set(`${mode} ${name} ${batch}`, run);
        const c = compareWithGolden(run, g, name);
        results.push(`${mode.padEnd(10)} ${name} ${batch ? 'batched   ' : 'one-by-one'} max|Δlogit| ${c.maxAbs.toExponential(2)} (${c.worst}), min IoU low-res ${c.minIouLowRes.toFixed(5)}, min IoU video ${c.minIouVideo.toFixed(5)}, signs ${c.signsAgree ? 'agree' : 'DIFFER'}`);
        expect(c.signsAgree).toBe(true);
        // the documented level (README, docs/engine.md: ~1e-4, IoU ≥ 0.9999) with a small margin,
        // end to end too: the engine's resize reproduces the reference's frames byte for byte, so a
        // regression of the resize or of the memory path fails here
        expect(c.maxAbs).toBeLessThanOrEqual(3e-4);
        expect(c.minIouLowRes).toBeGreaterThanOrEqual(0.9995);
        expect(c.minIouVideo).toBeGreaterThanOrEqual(0.9995);
        // batching really happens: S1's two objects share every frame's layout
        if (name === 'S1') {
          const t = p.stats().graphs;
          for (const graph of ['mask_decoder', 'memory_encoder', 'memory_attention'] as const) {
            const calls = t[graph].calls - before[graph].calls;
            const items = t[graph].items - before[graph].items;
            if (batch) expect(items).toBeGreaterThan(calls);
            else expect(items).toBe(calls);
          }
        }
      }
    } finally {
      await p.dispose();
    }
  });
});

test('batched runs equal one-by-one runs within float tolerance', () => {
  for (const mode of ['strict', 'end-to-end']) {
    for (const name of ['S1', 'S3']) {
      const a = runs.get(`${mode} ${name} true`)!;
      const b = runs.get(`${mode} ${name} false`)!;
      let maxAbs = 0;
      a.lowRes.forEach((row, r) => row.forEach((x, k) => x.forEach((v, i) => (maxAbs = Math.max(maxAbs, Math.abs(v - b.lowRes[r]![k]![i]!))))));
      results.push(`${mode.padEnd(10)} ${name} batched vs one-by-one max|Δlogit| ${maxAbs.toExponential(2)}`);
      expect(maxAbs).toBeLessThan(1e-4);
    }
  }
});
