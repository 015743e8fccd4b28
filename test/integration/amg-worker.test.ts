// Segment everything through the engine worker (the app's path): the same proposals as in
// process, progress events, cancellation with the engine still usable, and a kept proposal
// becoming an object there.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeMask } from '../../src-main/core/masks/rle';
import { generateMasks, predictorBackend } from '../../src-main/core/sam2/amg';
import { MemoryFrameSource } from '../../src-main/core/sam2/frame-source';
import { Sam2VideoPredictor } from '../../src-main/core/sam2/predictor';
import { shapesFrame } from '../../src-main/cli/bench/amg';
import { EngineClient } from '../../src-main/engine/engine-client';
import { ensureBuilt, REPO_ROOT } from '../fixtures/sam2-micro/build';
import { MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';

const W = 240;
const H = 136;
let client: EngineClient;

beforeAll(async () => {
  ensureBuilt();
  client = EngineClient.start({ workerPath: join(REPO_ROOT, 'out', 'main', 'engine-worker.js') });
  const f = shapesFrame(W, H);
  await client.open(MICRO_PACK_DIR, { kind: 'frames', width: W, height: H, frames: [f.data.slice(), f.data.slice()] }, { provider: 'cpu', threads: 2 });
}, 300_000);
afterAll(async () => {
  await client.close();
});

describe('segment everything in the engine worker', () => {
  const options = { pointsPerSide: 8, pointsPerBatch: 16, predIouThresh: 0, stabilityScoreThresh: 0 };

  test('the same proposals as in process, with progress in grid points', async () => {
    const progress: number[] = [];
    const r = await client.segmentEverything(1, options, { onProgress: (p) => progress.push(p.done) });
    expect(progress).toEqual([0, 16, 32, 48, 64]);
    expect(r.stats).toMatchObject({ points: 64, decodedMasks: 192, decoderCalls: 4 });
    const f = shapesFrame(W, H);
    const p = await Sam2VideoPredictor.create(MICRO_PACK_DIR, new MemoryFrameSource([f, f]), { provider: 'cpu', threads: 2 });
    try {
      const local = await generateMasks(predictorBackend(p), 1, options);
      expect(r.masks).toEqual(local.masks);
    } finally {
      await p.dispose();
    }
  });

  test('cancel stops it with CANCELLED; the engine answers the next request; a proposal becomes an object', async () => {
    const ac = new AbortController();
    const run = client.segmentEverything(0, { ...options, pointsPerSide: 16 }, { signal: ac.signal, onProgress: (p) => p.done >= 16 && ac.abort() });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    const r = await client.segmentEverything(0, options);
    const biggest = [...r.masks].sort((a, b) => b.area - a.area)[0]!;
    const res = await client.addMask(0, 5, decodeMask(biggest.segmentation));
    expect(res.objects.map((o) => o.objId)).toEqual([5]);
    expect(await client.objects()).toEqual([{ id: 5, promptedFrames: [0], outputFrames: [0] }]);
  });

  test('bad options come back as BAD_ARGUMENT', async () => {
    await expect(client.segmentEverything(0, { pointsPerSide: -3 })).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
      message: expect.stringMatching(/pointsPerSide must be at least 1/),
    });
    await expect(client.segmentEverything(7, options)).rejects.toMatchObject({ code: 'BAD_FRAME' });
  });
});
