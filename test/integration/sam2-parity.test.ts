// Parity with the PyTorch reference (transformers Sam2VideoModel, float32) on the micro pack:
// S1 (a click and a box on frame 0, forward) and S3 (two clicks on frame 16, reverse), strict
// (the reference's S×S frames) and end to end (original frames, the engine's own resize),
// batched as the app runs and one object at a time.
import { afterAll, describe, expect, test } from 'vitest';
import { MemoryFrameSource } from '../../src-main/core/sam2/frame-source';
import { loadPack, type ModelPack } from '../../src-main/core/sam2/pack';
import { Sam2VideoPredictor } from '../../src-main/core/sam2/predictor';
import { goldenFrames, loadGolden, MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { compareWithGolden, runScenario } from '../fixtures/sam2-micro/scenarios';

const g = loadGolden();
let pack: ModelPack;
const results: string[] = [];

async function predictor(strict: boolean, batch: boolean) {
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
  test.each([
    ['S1', true],
    ['S1', false],
    ['S3', true],
    ['S3', false],
  ] as const)('%s batched=%s', async (name, batch) => {
    const p = await predictor(strict, batch);
    try {
      const run = await runScenario(p, g, name, strict);
      const c = compareWithGolden(run, g, name);
      results.push(`${mode.padEnd(10)} ${name} ${batch ? 'batched  ' : 'one-by-one'} max|Δlogit| ${c.maxAbs.toExponential(2)} (${c.worst}), min IoU low-res ${c.minIouLowRes.toFixed(5)}, min IoU video ${c.minIouVideo.toFixed(5)}, signs ${c.signsAgree ? 'agree' : 'DIFFER'}`);
      expect(c.signsAgree).toBe(true);
      if (strict) {
        expect(c.maxAbs).toBeLessThanOrEqual(1e-3);
        expect(c.minIouLowRes).toBeGreaterThanOrEqual(0.999);
        expect(c.minIouVideo).toBeGreaterThanOrEqual(0.999);
      } else {
        expect(c.minIouVideo).toBeGreaterThanOrEqual(0.97);
      }
    } finally {
      await p.dispose();
    }
  });
});
