// The engine's snapshot/restore of outputs (what the workflow keeps in SQLite): a predictor that
// gets another predictor's snapshots back continues exactly like the original with its output
// budget at 0; bad snapshots are refused without changing anything; the propagation object
// filter and per-object results; and the same through the worker client.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MemoryFrameSource } from '../../src-main/core/sam2/frame-source';
import { loadPack, type ModelPack } from '../../src-main/core/sam2/pack';
import { Sam2VideoPredictor, type OutputSnapshot } from '../../src-main/core/sam2/predictor';
import { EngineClient } from '../../src-main/engine/engine-client';
import { ensureBuilt, REPO_ROOT } from '../fixtures/sam2-micro/build';
import { goldenFrames, loadGolden, MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { maxLowResDiff, propagateAll } from '../helpers/predictor-runs';

const g = loadGolden();
let pack: ModelPack;

beforeAll(async () => {
  pack = await loadPack(MICRO_PACK_DIR);
});

function create(outputCacheBytes = 0): Promise<Sam2VideoPredictor> {
  return Sam2VideoPredictor.create(pack, new MemoryFrameSource(goldenFrames(g, false)), { provider: 'cpu', threads: 2, outputCacheBytes, fillHoleArea: 0 });
}

async function promptS1(p: Sam2VideoPredictor): Promise<void> {
  await p.addPoints(0, 1, { points: [[40, 90]], labels: [1] });
  await p.addPoints(0, 2, { points: [], labels: [], box: [137, 2, 183, 48] });
}

describe('output snapshots', () => {
  test('a restored predictor corrects and re-propagates exactly like the original with output budget 0', async () => {
    const a = await create(0);
    const b = await create(0);
    try {
      await promptS1(a);
      await propagateAll(a, { start: 0 });
      const snaps = new Map([1, 2].map((id) => [id, a.exportOutputs(id)]));
      expect(snaps.get(1)).toHaveLength(24);
      const s0 = snaps.get(1)![0]!;
      expect(s0).toMatchObject({ frame: 0, isCond: true, tracked: 'forward', memFromPrompt: true, maskPrompt: false });
      expect(s0.lowRes).toHaveLength(64 * 64);
      expect(s0.points!.labels).toEqual([1]);
      expect(snaps.get(1)![5]).toMatchObject({ frame: 5, isCond: false, tracked: 'forward', lowRes: null, points: null });
      for (const [id, list] of snaps) await b.importOutputs(id, list, 'all');
      expect(b.objectIds).toEqual([1, 2]);
      expect(b.promptedFrames(1)).toEqual([0]);
      expect(b.outputFrames(2)).toEqual(Array.from({ length: 24 }, (_, i) => i));
      // what the engine reports for a frame is the same before any recomputation
      const fa = a.frameMasks(7);
      const fb = b.frameMasks(7);
      expect(fb.objects.map((o) => o.scoreLogit)).toEqual(fa.objects.map((o) => o.scoreLogit));

      // correction on a tracked frame, then re-propagation of the frames after it
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
      const ra = await propagateAll(a, { start: 13 });
      const rb = await propagateAll(b, { start: 13 });
      expect(ra).toHaveLength(11);
      expect(maxLowResDiff(ra, rb)).toBe(0);
      // and a reverse pass over the restored forward results
      expect(maxLowResDiff(await propagateAll(a, { start: 20, reverse: true }), await propagateAll(b, { start: 20, reverse: true }))).toBe(0);
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });

  test('clearing frames, dropping an emptied object, and refusing bad snapshots without a change', async () => {
    const p = await create(1 << 30);
    try {
      await promptS1(p);
      await propagateAll(p, { start: 0, maxFrames: 5 });
      const before = p.exportOutputs(1);
      await expect(p.importOutputs(1, [{ ...before[2]!, objPtr: new Float32Array(3) }], 'all')).rejects.toMatchObject({
        code: 'BAD_ARGUMENT',
        message: /objPtr/,
      });
      await expect(p.importOutputs(1, [{ ...before[2]!, frame: 99 }])).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: /frame/ });
      const runs = { ...before[2]!.summary, runs: new Uint32Array([5]) };
      await expect(p.importOutputs(1, [{ ...before[2]!, summary: runs }])).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: /runs cover 5/ });
      await expect(p.importOutputs(1, [{ ...before[0]!, lowRes: null }])).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: /conditioning/ });
      expect(p.outputFrames(1)).toEqual([0, 1, 2, 3, 4, 5]);

      await p.importOutputs(1, [], [3, 4]);
      expect(p.outputFrames(1)).toEqual([0, 1, 2, 5]);
      await p.importOutputs(1, [], 'all');
      expect(p.objectIds).toEqual([2]);
      // the object comes back from its snapshots, prompt included
      await p.importOutputs(1, before, 'all');
      expect(p.promptedFrames(1)).toEqual([0]);
      expect(p.exportOutputs(1).map((s) => [s.frame, s.isCond, s.tracked])).toEqual(before.map((s) => [s.frame, s.isCond, s.tracked]));
    } finally {
      await p.dispose();
    }
  });

  test('propagation of some objects only, and results with snapshots for some objects only', async () => {
    const p = await create(1 << 30);
    try {
      await promptS1(p);
      const frames = await propagateAll(p, { start: 0, maxFrames: 3, objIds: [2], snapshot: true });
      expect(frames.map((f) => f.objects.map((o) => o.objId))).toEqual([[2], [2], [2], [2]]);
      expect(p.outputFrames(1)).toEqual([0]);
      expect(p.outputFrames(2)).toEqual([0, 1, 2, 3]);
      const snap = frames[2]!.objects[0]!.snapshot!;
      expect(snap).toMatchObject({ frame: 2, isCond: false, tracked: 'forward' });
      expect(p.exportOutputs(2, [2])[0]!.objPtr).toEqual(snap.objPtr);
      const r = await p.addPoints(5, 1, { points: [[60, 90]], labels: [1] }, { objIds: [1], snapshot: true, masks: false });
      expect(r.objects.map((o) => o.objId)).toEqual([1]);
      expect(r.objects[0]!.snapshot).toMatchObject({ frame: 5, isCond: true, tracked: null });
      expect(r.objects[0]!.mask).toBeUndefined();
      await expect(propagateAll(p, { objIds: [7] })).rejects.toMatchObject({ code: 'UNKNOWN_OBJECT' });
    } finally {
      await p.dispose();
    }
  });
});

describe('output snapshots through the worker', () => {
  let client: EngineClient;
  beforeAll(() => {
    ensureBuilt();
    client = EngineClient.start({ workerPath: join(REPO_ROOT, 'out', 'main', 'engine-worker.js') });
  }, 300_000);
  afterAll(async () => {
    await client.close();
  });

  test('export and import travel as transferred arrays', async () => {
    const frames = () => goldenFrames(g, false).map((f) => f.data.slice());
    await client.open(MICRO_PACK_DIR, { kind: 'frames', width: g.W, height: g.H, frames: frames() }, { provider: 'cpu', threads: 2 });
    await client.addPoints(0, 1, { points: [[40, 90]], labels: [1] });
    for await (const f of client.propagate({ start: 0, maxFrames: 4, masks: false })) expect(f.objects).toHaveLength(1);
    const snaps: OutputSnapshot[] = await client.exportOutputs(1);
    expect(snaps.map((s) => s.frame)).toEqual([0, 1, 2, 3, 4]);
    const cond = (await client.frameMasks(0)).objects[0]!.mask!;
    const tracked = (await client.frameMasks(3, { masks: false, lowRes: true })).objects[0]!.lowRes!.map((v) => (v > 0 ? 1 : 0));
    await client.importOutputs(1, [], 'all');
    expect(await client.objects()).toEqual([]);
    await client.importOutputs(1, snaps, 'all');
    expect(snaps[0]!.objPtr.length).toBe(0); // transferred
    // a conditioning frame keeps its exact logits; a tracked one its binary low-res mask
    expect((await client.frameMasks(0)).objects[0]!.mask).toEqual(cond);
    expect((await client.frameMasks(3, { masks: false, lowRes: true })).objects[0]!.lowRes!.map((v) => (v > 0 ? 1 : 0))).toEqual(tracked);
    expect(await client.objects()).toEqual([{ id: 1, promptedFrames: [0], outputFrames: [0, 1, 2, 3, 4] }]);
  });
});
