// Engine snapshots on an EdgeTAM pack (what the workflow keeps in SQLite and puts back when a
// project is reopened): snapshots hold no memory features, so the restored engine re-encodes them
// from the exact conditioning logits; they must come back bit for bit (float32, T = 28 tokens),
// and a correction with re-propagation must then match an unbroken engine with output budget 0.
import { beforeAll, expect, test } from 'vitest';
import { MemoryFrameSource } from '../../src-main/core/sam2/frame-source';
import { loadPack, type ModelPack } from '../../src-main/core/sam2/pack';
import { Sam2VideoPredictor } from '../../src-main/core/sam2/predictor';
import { EDGETAM_MICRO_PACK_DIR, loadEdgetamGolden } from '../fixtures/edgetam-micro/golden';
import { goldenFrames } from '../fixtures/sam2-micro/golden';
import { maxLowResDiff, propagateAll } from '../helpers/predictor-runs';

const g = loadEdgetamGolden();
let pack: ModelPack;

beforeAll(async () => {
  pack = await loadPack(EDGETAM_MICRO_PACK_DIR);
});

const create = () =>
  Sam2VideoPredictor.create(pack, new MemoryFrameSource(goldenFrames(g, false)), { provider: 'cpu', threads: 2, outputCacheBytes: 0, fillHoleArea: 0 });

test('a restored EdgeTAM engine re-encodes the same float32 memories and continues exactly like the original', async () => {
  const a = await create();
  const b = await create();
  try {
    await a.addPoints(0, 1, { points: [[40, 90]], labels: [1] });
    await a.addPoints(0, 2, { points: [], labels: [], box: [137, 2, 183, 48] });
    await propagateAll(a, { start: 0 });
    for (const id of [1, 2]) await b.importOutputs(id, a.exportOutputs(id), 'all');
    expect(b.outputFrames(1)).toEqual(a.outputFrames(1));
    expect(b.outputFrames(1)).toHaveLength(24);

    // a correction on a tracked frame and the re-propagation after it, then a reverse pass
    const ca = await a.addPoints(
      12,
      1,
      {
        points: [
          [154, 90],
          [120, 60],
        ],
        labels: [1, 0],
      },
      { lowRes: true },
    );
    const cb = await b.addPoints(
      12,
      1,
      {
        points: [
          [154, 90],
          [120, 60],
        ],
        labels: [1, 0],
      },
      { lowRes: true },
    );
    expect(maxLowResDiff([ca], [cb])).toBe(0);
    expect(maxLowResDiff(await propagateAll(a, { start: 13 }), await propagateAll(b, { start: 13 }))).toBe(0);
    expect(maxLowResDiff(await propagateAll(a, { start: 20, reverse: true }), await propagateAll(b, { start: 20, reverse: true }))).toBe(0);
    // the conditioning memories were re-encoded from the snapshots' exact logits: the same float32 values
    for (const id of [1, 2]) {
      const ma = a.debugOutput(id, 0)!.memory!;
      const mb = b.debugOutput(id, 0)!.memory!;
      expect(mb).toHaveLength(28 * 64);
      expect(Array.from(mb)).toEqual(Array.from(ma));
      // float32 as the graph returned them, not bf16 (whose low 16 bits are all zero)
      expect(new Uint32Array(mb.buffer, mb.byteOffset, mb.length).some((u) => (u & 0xffff) !== 0)).toBe(true);
    }
  } finally {
    await a.dispose();
    await b.dispose();
  }
});
