// Parity with the PyTorch reference (transformers Sam2VideoModel, float32) on the micro pack:
// S1 (a click and a box on frame 0, forward) and S3 (two clicks on frame 16, reverse), strict
// and end to end, batched as the app runs and one object at a time (the shared suite:
// test/fixtures/sam2-micro/parity-suite.ts).
import { MemoryFrameSource } from '../../src-main/core/sam2/frame-source';
import { loadPack, type ModelPack } from '../../src-main/core/sam2/pack';
import { Sam2VideoPredictor } from '../../src-main/core/sam2/predictor';
import { goldenFrames, loadGolden, MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { defineParitySuite } from '../fixtures/sam2-micro/parity-suite';

const g = loadGolden();
let pack: ModelPack;

defineParitySuite({
  title: 'SAM 2 parity (micro pack)',
  golden: g,
  async predictor(strict) {
    pack ??= await loadPack(MICRO_PACK_DIR);
    // hole filling off: the goldens come from transformers, which has none
    return Sam2VideoPredictor.create(pack, new MemoryFrameSource(goldenFrames(g, strict)), { provider: 'cpu', threads: 2, batch: true, fillHoleArea: 0 });
  },
});
