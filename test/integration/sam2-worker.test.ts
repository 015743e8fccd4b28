// The engine client against the built worker (out/main/engine-worker.js): same results as in
// process, streaming with progress, cancellation, BUSY, errors as data, crash and restart, and
// an event loop that stays free while the worker computes.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EngineClient } from '../../src-main/engine/engine-client';
import type { PreencodeStatus } from '../../src-main/engine/preencoder';
import { ensureBuilt, REPO_ROOT } from '../fixtures/sam2-micro/build';
import { goldenFrames, loadGolden, MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { iou } from '../fixtures/sam2-micro/scenarios';
import { until } from '../helpers/until';

const workerJs = join(REPO_ROOT, 'out', 'main', 'engine-worker.js');

const g = loadGolden();
const frames = () => goldenFrames(g, false).map((f) => f.data.slice());
let client: EngineClient;

beforeAll(() => {
  ensureBuilt();
  client = EngineClient.start({ workerPath: workerJs });
}, 300_000);
afterAll(async () => {
  await client.close();
});

describe('engine worker', () => {
  test('opens a video, answers prompts and streams S1 with progress, matching the goldens', async () => {
    const info = await client.open(
      MICRO_PACK_DIR,
      { kind: 'frames', width: g.W, height: g.H, frames: frames() },
      { provider: 'cpu', threads: 2, fillHoleArea: 0 },
    );
    expect(info).toMatchObject({ numFrames: 24, width: 320, height: 180, pack: { imageSize: 256 } });
    expect(Object.values(info.providers)).toEqual(['cpu', 'cpu', 'cpu', 'cpu']);
    const r = await client.addPoints(0, 1, { points: [[40, 90]], labels: [1] });
    expect(r.objects[0]!.mask).toBeInstanceOf(Uint8Array);
    expect(r.objects[0]!.mask!.length).toBe(320 * 180);
    expect(r.candidates!.masks).toHaveLength(3);
    await client.addPoints(0, 2, { points: [], labels: [], box: [137, 2, 183, 48] });
    const progress: number[] = [];
    const golden = g.u8('S1/mask_video_u8');
    let minIou = 1;
    // a timer keeps ticking while the worker computes: the event loop is free
    let last = performance.now();
    let maxGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 10);
    try {
      for await (const f of client.propagate({ onProgress: (p) => progress.push(p.done), window: 2 })) {
        f.objects.forEach((o, k) => {
          const ref = golden.subarray((f.frame * 2 + k) * g.H * g.W, (f.frame * 2 + k + 1) * g.H * g.W);
          minIou = Math.min(minIou, iou(o.mask!, ref));
        });
      }
    } finally {
      clearInterval(timer);
    }
    expect(progress).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(minIou).toBeGreaterThanOrEqual(0.999);
    expect(maxGap).toBeLessThan(500);
    const objs = await client.objects();
    expect(objs.map((o) => [o.id, o.promptedFrames])).toEqual([
      [1, [0]],
      [2, [0]],
    ]);
  });

  test('cancellation stops the propagation; calls during it are BUSY; errors keep their codes', async () => {
    const ac = new AbortController();
    const seen: number[] = [];
    let busy: unknown = null;
    const run = (async () => {
      for await (const f of client.propagate({ signal: ac.signal })) {
        seen.push(f.frame);
        if (f.frame === 1) busy = await client.addPoints(3, 1, { points: [[40, 90]], labels: [1] }).catch((e) => e);
        if (f.frame === 2) ac.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen.slice(0, 3)).toEqual([0, 1, 2]);
    expect(seen.length).toBeLessThan(24);
    expect(busy).toMatchObject({ code: 'BUSY' });
    await expect(client.addPoints(99, 1, { points: [[1, 1]], labels: [1] })).rejects.toMatchObject({ name: 'EngineError', code: 'BAD_FRAME' });
    await expect(client.addPoints(0, 1, { points: [[1, 1]], labels: [7] })).rejects.toMatchObject({ code: 'BAD_LABELS' });
    const again = await client.frameMasks(5);
    expect(again.objects).toHaveLength(2);
  });

  test('breaking out of the stream stops the worker and frees the engine', async () => {
    for await (const f of client.propagate({ start: 10 })) {
      if (f.frame === 11) break;
    }
    const r = await client.clearFramePrompts(0, 2);
    expect(r.objects[1]!.isCond).toBe(false);
  });

  test('a crashed worker rejects pending calls with a clear error; restart gives a fresh engine', async () => {
    const pending = client.addPoints(5, 1, { points: [[80, 90]], labels: [1] });
    await client.kill();
    await expect(pending).rejects.toMatchObject({ code: 'WORKER', message: expect.stringMatching(/worker exited.*restart/) });
    await expect(client.frameMasks(0)).rejects.toMatchObject({ code: 'WORKER' });
    client.restart();
    await expect(client.frameMasks(0)).rejects.toMatchObject({ code: 'CLOSED' });
    const info = await client.open(MICRO_PACK_DIR, { kind: 'frames', width: g.W, height: g.H, frames: frames().slice(0, 3) }, { provider: 'cpu', threads: 1 });
    expect(info.numFrames).toBe(3);
  });

  test('a pack error crosses the thread with its code and file', async () => {
    await expect(client.open('/nonexistent/pack', { kind: 'frames', width: 2, height: 2, frames: [new Uint8Array(12)] })).rejects.toMatchObject({
      code: 'PACK_MISSING',
    });
  });
});

describe('the pre-encoding thread beside the engine worker', () => {
  test('a crash of the engine while it pre-encodes leaves the process running; the thread finishes its run and exits', async () => {
    const c = EngineClient.start({ workerPath: workerJs });
    let status: PreencodeStatus | null = null;
    c.onPreencode((s) => (status = s));
    const settled = () => status !== null && status.encoding === null && status.done === status.total;
    try {
      await c.open(
        MICRO_PACK_DIR,
        { kind: 'frames', width: g.W, height: g.H, frames: frames() },
        { provider: 'cpu', threads: 1 },
        { enabled: true, window: 10 },
      );
      // the thread was started by this (main) thread, beside the worker
      await until(() => c.preencodeThreads === 1, 'the pre-encoding thread');
      await until(settled, 'the window around frame 0', 90_000);
      // The engine must not be inside a native run when it is killed: terminating a worker there
      // aborts the process (the app terminates only dead workers). A rest on a frame the engine
      // has already encoded (a click) gives the thread the neighbours and never has the engine
      // encode the resting frame itself (docs/engine.md, "Pre-encoding").
      await c.addPoints(12, 1, { points: [[80, 90]], labels: [1] });
      await c.preencode(12);
      await until(() => status !== null && status.frame === 12 && status.encoding !== null, 'the thread on the window around 12');
      await c.kill();
      // no termination of the thread: it notices the engine's port closing and exits by itself
      // at the lowest priority on a busy machine (the full suite) its last run may take a while
      await until(() => c.preencodeThreads === 0, 'the thread to exit', 90_000);
      expect(c.alive).toBe(false);
      c.restart();
      const info = await c.open(MICRO_PACK_DIR, { kind: 'frames', width: g.W, height: g.H, frames: frames().slice(0, 3) }, { provider: 'cpu', threads: 1 });
      expect(info.numFrames).toBe(3);
    } finally {
      await c.close();
    }
    expect(c.preencodeThreads).toBe(0);
  }, 240_000);
});
