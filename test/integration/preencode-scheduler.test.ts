// The pre-encoding scheduler on the micro pack, through the engine host (the worker's engine
// without its own thread; the pre-encoding thread is the real one, out/main/preencode-worker.js
// from `electron-vite build`): frame 0 at open, features from the thread equal bit for bit to the
// engine's own, a click answered while a pre-encoder run is in flight, a late run not waited for, the resting frame and its neighbours, pre-emption by
// clicks and propagation (no encoder run of the pre-encoder starts while they run), resumption,
// cancel, the feature budget never exceeded by pre-encoding, conditioning frames never evicted,
// and propagation reusing pre-encoded frames. The image encoder (the engine's and the thread's)
// is slowed by 40 ms per call (an awaited delay, as a real run is an await) so that a window
// takes long enough to interrupt; a gate holds a thread run open for as long as a test needs.
import { afterEach, describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import type { Sam2Core } from '../../src-main/core/sam2/engine-core';
import type { MemoryMode } from '../../src-main/core/sam2/memory-mode';
import { featureBytesPerFrame, PREENCODE_NICE, preencodeThreadPlan } from '../../src-main/core/sam2/preencode-plan';
import { preprocessFrame } from '../../src-main/core/sam2/preprocess';
import { EngineHost } from '../../src-main/engine/engine-host';
import { startPreencodeWorker } from '../../src-main/engine/preencode-thread';
import { schedOf, SCHED_IDLE } from '../../src-main/engine/thread-priority';
import { builtWorkerPath } from '../../src-main/engine/worker-path';
import type { PreencodeStatus } from '../../src-main/engine/preencoder';
import type { FromWorker, RequestName, Requests } from '../../src-main/engine/protocol';
import { goldenFrames, loadGolden, MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';

const g = loadGolden();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Harness {
  host: EngineHost;
  core: Sam2Core;
  log: string[];
  statuses: PreencodeStatus[];
  call<K extends RequestName>(op: K, args: Requests[K][0]): Promise<Requests[K][1]>;
  settled(): Promise<void>;
}

let nextId = 1;
let open: Harness | null = null;
/** holds every pre-encoder run's result back until released (a run as long as a test needs) */
const gate = { hold: Promise.resolve(), release: () => {} };
function closeGate(): void {
  gate.hold = new Promise((r) => (gate.release = r));
}
afterEach(async () => {
  gate.release();
  gate.hold = Promise.resolve();
  await open?.host.shutdown();
  open = null;
});

async function start(
  options: { featureCacheBytes?: number; memory?: MemoryMode } = {},
  preencode: { enabled?: boolean; window?: number } = {},
): Promise<Harness> {
  const log: string[] = [];
  const statuses: PreencodeStatus[] = [];
  const results = new Map<number, (m: FromWorker) => void>();
  const sent = new Map<number, number>();
  const host = new EngineHost((m) => {
    if (m.type === 'preencode') statuses.push(m.status);
    // the pre-encoding thread starts beside the engine, as EngineClient starts it
    else if (m.type === 'spawnPreencode') startPreencodeWorker(builtWorkerPath('preencode-worker'), m.data, m.port);
    else if (m.type === 'frame') {
      // acknowledge each streamed frame, as the client does (back-pressure)
      sent.set(m.id, (sent.get(m.id) ?? 0) + 1);
      void host.handle({ type: 'ack', id: m.id, frames: sent.get(m.id)! });
    } else if (m.type === 'result' || m.type === 'error') results.get(m.id)?.(m);
  });
  const call = <K extends RequestName>(op: K, args: Requests[K][0]): Promise<Requests[K][1]> => {
    const id = nextId++;
    const done = new Promise<Requests[K][1]>((resolve, reject) =>
      results.set(id, (m) =>
        m.type === 'result'
          ? resolve(m.value as Requests[K][1])
          : m.type === 'error'
            ? reject(Object.assign(new Error(m.error.message), { code: m.error.code }))
            : undefined,
      ),
    );
    void host.handle({ type: 'request', id, op, args });
    return done;
  };
  const frames = goldenFrames(g, false);
  // the first encoder run happens inside open (frame 0): slow the graphs down as soon as they exist
  const opened = call('open', {
    pack: MICRO_PACK_DIR,
    source: { kind: 'frames', width: frames[0]!.width, height: frames[0]!.height, frames: frames.map((f) => f.data) },
    options: { provider: 'cpu', threads: 1, fillHoleArea: 0, ...options },
    preencode,
  });
  let core: Sam2Core | null = null;
  while (!core) {
    core = (host as unknown as { predictor: { core: Sam2Core } | null }).predictor?.core ?? null;
    if (!core) await sleep(1);
  }
  const enc = core.graphs.imageEncoder.bind(core.graphs);
  const c = core;
  core.graphs.imageEncoder = async (px) => {
    const bg = [...(c as unknown as { pending: Map<number, unknown> }).pending.keys()];
    log.push(`enc-start ${bg.join(',')}`);
    await sleep(40);
    const r = await enc(px);
    log.push('enc-end');
    return r;
  };
  const preencode0 = core.preencode.bind(core);
  core.preencode = async (f, encodeElsewhere) => {
    log.push(`bg ${f}`);
    return preencode0(f, encodeElsewhere);
  };
  // the pre-encoding thread's runs, slowed the same way (the wait is on this side of the thread)
  const background = host.backgroundEncode.bind(host);
  host.backgroundEncode = async (f) => {
    log.push(`bg-enc-start ${f}`);
    await sleep(40);
    const r = await background(f);
    await gate.hold;
    log.push(`bg-enc-end ${f}`);
    return r;
  };
  await opened;
  const h: Harness = {
    host,
    core,
    log,
    statuses,
    call,
    async settled() {
      // the thread runs at the lowest priority: on a busy machine (other test files) it may wait long for a core
      for (const t0 = Date.now(); Date.now() - t0 < 90_000;) {
        const s = host.preencoder.status();
        if (s.encoding === null && (s.done === s.total || s.full || !s.enabled)) {
          await sleep(5);
          if (host.preencoder.status().encoding === null) return;
        }
        await sleep(10);
      }
      throw new Error('pre-encoding did not settle');
    },
  };
  open = h;
  return h;
}

describe('pre-encoding scheduler (micro pack)', () => {
  test('frame 0 is encoded at open; a resting frame and its neighbours follow, nearest first; a click there runs no encoder', async () => {
    const h = await start({}, { window: 2 });
    await h.settled();
    expect(h.core.cache.has(0)).toBe(true);
    expect(h.log.filter((l) => l.startsWith('bg '))).toEqual(['bg 0', 'bg 1', 'bg 2']);
    const st = await h.call('preencode', { frame: 10 });
    expect(st).toMatchObject({ frame: 10, window: 2, total: 5 });
    await h.settled();
    expect(h.log.filter((l) => l.startsWith('bg ')).slice(3)).toEqual(['bg 10', 'bg 11', 'bg 9', 'bg 12', 'bg 8']);
    expect(h.host.preencoder.status()).toMatchObject({ frame: 10, ready: true, encoding: null, done: 5, total: 5 });
    expect(h.statuses.some((s) => s.frame === 10 && s.encoding === 10 && !s.ready)).toBe(true);
    const runs = { ...h.core.encoderRuns };
    await h.call('addPoints', { frame: 10, objId: 1, points: [[120, 90]], labels: [1] });
    expect(h.core.encoderRuns).toEqual(runs);
  });

  test('a click pre-empts pre-encoding between encoder runs (the one in flight finishes), and pre-encoding resumes after it', async () => {
    const h = await start({}, { window: 8 });
    await h.settled();
    await h.call('preencode', { frame: 12 });
    while (h.core.encoderRuns.background < 5) await sleep(5);
    h.log.push('click');
    await h.call('addPoints', { frame: 22, objId: 1, points: [[200, 90]], labels: [1] }); // frame 22: outside the window
    h.log.push('clicked');
    const between = h.log.slice(h.log.indexOf('click'), h.log.indexOf('clicked'));
    expect(between.filter((l) => l.startsWith('bg '))).toEqual([]);
    // the click's own encoder run (frame 22), after at most the background run in flight
    expect(between.filter((l) => l.startsWith('enc-start')).length).toBeLessThanOrEqual(1);
    expect(h.core.encoderRuns.foreground).toBe(1);
    await h.settled();
    expect(h.host.preencoder.status()).toMatchObject({ done: 17, total: 17 });
    expect(h.log.lastIndexOf('bg 20')).toBeGreaterThan(h.log.indexOf('clicked'));
  });

  test('propagation pre-empts pre-encoding, reuses the pre-encoded frames (no second encoder run), and pre-encoding resumes', async () => {
    const h = await start({}, { window: 3 });
    await h.call('addPoints', { frame: 0, objId: 1, points: [[40, 90]], labels: [1] });
    await h.call('preencode', { frame: 4 });
    await h.settled();
    expect([1, 2, 3, 4, 5, 6, 7].every((f) => h.core.cache.has(f))).toBe(true);
    // the playhead moves on: the propagation starts while that window is being encoded
    await h.call('preencode', { frame: 16 });
    while (!h.log.includes('bg 16')) await sleep(2);
    const before = { ...h.core.encoderRuns };
    h.log.push('propagate');
    const done = h.call('propagate', { start: 0, maxFrames: 11 });
    await sleep(30);
    await h.call('preencode', { frame: 20 }); // the playhead moves while it runs: nothing starts until it ends
    const r = await done;
    h.log.push('propagated');
    expect(r.frames).toBe(12);
    const during = h.log.slice(h.log.indexOf('propagate'), h.log.indexOf('propagated'));
    expect(during.filter((l) => l.startsWith('bg '))).toEqual([]);
    // frames 0..7 were cached and stayed (pinned ahead of the propagation, though no longer in the window): only 8..11 ran the encoder
    expect(h.core.encoderRuns.foreground - before.foreground).toBe(4);
    // at most the background run in flight when it started finished during it
    expect(h.core.encoderRuns.background - before.background).toBeLessThanOrEqual(1);
    await h.settled();
    expect(h.host.preencoder.status()).toMatchObject({ frame: 20, done: 7, total: 7 });
  });

  test('cancel: resting nowhere or switching it off stops after the run in flight; switching it on resumes', async () => {
    const h = await start({}, { window: 8 });
    await h.settled();
    await h.call('preencode', { frame: 12 });
    while (h.core.encoderRuns.background < 3) await sleep(5);
    await h.call('preencode', { frame: null });
    await h.host.preencoder.idle();
    const n = h.core.encoderRuns.background;
    await sleep(150);
    expect(h.core.encoderRuns.background).toBe(n);
    expect(h.host.preencoder.status()).toMatchObject({ frame: null, encoding: null, total: 0 });
    await h.call('preencode', { frame: 12 });
    while (h.core.encoderRuns.background < n + 2) await sleep(5);
    await h.call('preencodeSettings', { enabled: false });
    await h.host.preencoder.idle();
    const m = h.core.encoderRuns.background;
    await sleep(150);
    expect(h.core.encoderRuns.background).toBe(m);
    expect(h.host.preencoder.status()).toMatchObject({ enabled: false, total: 0 });
    await h.call('preencodeSettings', { enabled: true, window: 1 });
    await h.settled();
    expect([11, 12, 13].every((f) => h.core.cache.has(f))).toBe(true);
    await expect(h.call('preencodeSettings', { window: -1 })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    await expect(h.call('preencode', { frame: 99 })).rejects.toMatchObject({ code: 'BAD_FRAME' });
  });

  test('the budget is never exceeded by pre-encoding and conditioning frames are never evicted', async () => {
    const per = featureBytesPerFrame({ hiddenDim: 128, featSize: 16 });
    const h = await start({ featureCacheBytes: 5 * per }, { window: 8 });
    await h.call('addPoints', { frame: 2, objId: 1, points: [[60, 90]], labels: [1] });
    await h.call('addPoints', { frame: 3, objId: 2, points: [[200, 90]], labels: [1] });
    await h.call('preencode', { frame: 15 });
    await h.settled();
    const s = h.host.preencoder.status();
    expect(s.full).toBe(true);
    expect(s.done).toBeLessThan(s.total);
    expect(h.core.cache.has(2) && h.core.cache.has(3)).toBe(true);
    expect(h.core.cache.has(15)).toBe(true);
    expect(h.core.cache.bytes).toBeLessThanOrEqual(5 * per);
    expect(h.core.cache.peak).toBeLessThanOrEqual(5 * per);
    expect(h.core.cache.refused).toBe(0); // refused before the encoder ran, never after
    // the window frames nearest the playhead stay: moving on evicts them only for the new window
    const kept = h.core.cache
      .frames()
      .filter((f) => f !== 2 && f !== 3)
      .sort((a, b) => a - b);
    expect(kept).toEqual([14, 15, 16]);
    await h.call('preencode', { frame: 5 });
    await h.settled();
    expect(h.core.cache.has(2) && h.core.cache.has(3)).toBe(true);
    expect(h.core.cache.frames().sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6]);
    expect(h.core.cache.peak).toBeLessThanOrEqual(5 * per);
  });

  test('after more prompted frames than the budget holds, pre-encoding still makes room for the window (the oldest conditioning frames give way)', async () => {
    const per = featureBytesPerFrame({ hiddenDim: 128, featSize: 16 });
    // 8 frames, window ±1 (3 frames): at most 5 conditioning frames stay pinned
    const h = await start({ featureCacheBytes: 8 * per }, { window: 1 });
    const prompted = [0, 2, 4, 6, 8, 10, 12, 14];
    for (const f of prompted) await h.call('addPoints', { frame: f, objId: 1, points: [[60, 90]], labels: [1] });
    // a refinement click on an old frame makes it one of the most recent again
    await h.call('addPoints', { frame: 2, objId: 1, points: [[62, 92]], labels: [1], clearOld: false });
    await h.call('preencode', { frame: 20 });
    await h.settled();
    const s = h.host.preencoder.status();
    expect(s.ready).toBe(true);
    expect(s.done).toBe(s.total);
    expect(s.full).toBe(false);
    expect([19, 20, 21].every((f) => h.core.cache.has(f))).toBe(true);
    // the five conditioning frames used last are still there; the three used first gave way
    expect(prompted.filter((f) => h.core.cache.has(f))).toEqual([2, 8, 10, 12, 14]);
    expect(h.core.cache.peak).toBeLessThanOrEqual(8 * per);
  });

  test('features from the pre-encoding thread equal bit for bit those the engine computes itself', async () => {
    const h = await start({}, { window: 0 });
    await h.settled();
    const m = h.core.m;
    const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    // asked of the thread directly: on a busy machine the scheduler may have the engine take a late run over
    for (const f of [0, 7]) {
      const fromThread = await h.host.backgroundEncode(f);
      const here = await h.core.graphs.imageEncoder(preprocessFrame(await h.core.source.read(f), m.imageSize, m.pixelMean, m.pixelStd));
      expect(bytes(fromThread.featS0).equals(bytes(here.featS0))).toBe(true);
      expect(bytes(fromThread.featS1).equals(bytes(here.featS1))).toBe(true);
      expect(bytes(fromThread.visionFeat).equals(bytes(here.visionFeat))).toBe(true);
    }
  });

  test('a click while a pre-encoder run is in flight is answered without waiting for it', async () => {
    const h = await start({}, { window: 2 });
    await h.settled();
    closeGate();
    await h.call('preencode', { frame: 12 });
    while (!h.log.includes('bg-enc-start 12')) await sleep(2);
    // frame 0 is cached (no encoder), frame 20 is not (the engine's own encoder runs for it)
    for (const frame of [0, 20]) {
      h.log.push(`click ${frame}`);
      const answered = await Promise.race([
        h.call('addPoints', { frame, objId: 1, points: [[40, 90]], labels: [1] }).then(() => 'answered'),
        sleep(30_000).then(() => 'still waiting'),
      ]);
      expect(answered).toBe('answered');
      h.log.push(`clicked ${frame}`);
      expect(h.host.preencoder.status().encoding).toBe(12);
    }
    expect(h.log.includes('bg-enc-end 12')).toBe(false);
    expect(h.core.encoderRuns.foreground).toBe(1);
    gate.release();
    await h.settled();
    expect(h.log.indexOf('bg-enc-end 12')).toBeGreaterThan(h.log.indexOf('clicked 20'));
    expect(h.host.preencoder.status()).toMatchObject({ frame: 12, ready: true, done: 5, total: 5 });
  });

  test('the playhead comes to rest while the thread is busy with the old window: the engine encodes the resting frame itself at once', async () => {
    const h = await start({}, { window: 2 });
    await h.settled();
    closeGate();
    await h.call('preencode', { frame: 12 });
    while (!h.log.includes('bg-enc-start 12')) await sleep(2);
    const runs = { ...h.core.encoderRuns };
    h.log.push('rest 20');
    const st = await h.call('preencode', { frame: 20 });
    expect(st).toMatchObject({ frame: 20, encoding: 20, ready: false });
    while (!h.core.cache.has(20)) await sleep(2);
    // the engine's own encoder ran once, for it, while the thread's run (frame 12) was still held open
    expect(h.log.includes('bg-enc-end 12')).toBe(false);
    expect(h.log.slice(h.log.indexOf('rest 20')).filter((l) => l.startsWith('enc-start'))).toEqual(['enc-start 12,20']);
    expect(h.host.preencoder.restedHere).toBe(1);
    expect(h.core.encoderRuns).toEqual({ ...runs, background: runs.background + 1 });
    while (!h.host.preencoder.status().ready) await sleep(2);
    // a click there runs no encoder
    await h.call('addPoints', { frame: 20, objId: 1, points: [[120, 90]], labels: [1] });
    expect(h.core.encoderRuns.foreground).toBe(runs.foreground);
    gate.release();
    await h.settled();
    // the rest of the window went to the thread as usual, the resting frame not a second time
    expect(h.log.filter((l) => l === 'bg 20')).toEqual([]);
    expect(h.log.some((l) => l === 'bg-enc-start 20')).toBe(false);
    expect(h.host.preencoder.status()).toMatchObject({ frame: 20, ready: true, done: 5, total: 5 });
  });

  test("the thread's run on the resting frame is late (starved): the engine takes it over after REST_TAKEOVER × the fastest run", async () => {
    const h = await start({}, { window: 0 });
    await h.settled(); // runs that finished: the engine knows how long a run takes
    closeGate();
    const t0 = performance.now();
    await h.call('preencode', { frame: 9 });
    while (!h.core.cache.has(9)) await sleep(2);
    const took = performance.now() - t0;
    // the thread's run is still held open; the engine's own encoder ran for the frame
    expect(h.log.includes('bg-enc-end 9')).toBe(false);
    expect(h.log.slice(h.log.indexOf('bg-enc-start 9')).filter((l) => l.startsWith('enc-start'))).toEqual(['enc-start 9']);
    expect(h.host.preencoder.restedHere).toBe(1);
    expect(took).toBeGreaterThan(40); // not at once: only once the thread's run was late
    const runs = { ...h.core.encoderRuns };
    await h.call('addPoints', { frame: 9, objId: 1, points: [[120, 90]], labels: [1] });
    expect(h.core.encoderRuns).toEqual(runs);
    gate.release();
    await h.settled();
    expect(h.core.cache.has(9)).toBe(true);
  });

  test('the playhead comes to rest while the thread is idle: the thread encodes the resting frame, not the engine', async () => {
    const h = await start({}, { window: 0 });
    await h.settled();
    await h.call('preencode', { frame: 7 });
    await h.settled();
    expect(h.log.includes('bg-enc-start 7')).toBe(true);
    expect(h.host.preencoder.restedHere).toBe(0);
  });

  test('a click on the frame a late pre-encoder run is encoding (a starved thread) stops waiting and encodes it in the engine', async () => {
    const h = await start({}, { window: 2 });
    await h.settled(); // runs that finished: the engine knows how long a run takes
    closeGate();
    await h.call('preencode', { frame: 12 });
    while (!h.log.includes('bg-enc-start 12')) await sleep(2);
    const answered = await Promise.race([
      h.call('addPoints', { frame: 12, objId: 1, points: [[120, 90]], labels: [1] }).then(() => 'answered'),
      sleep(30_000).then(() => 'still waiting'),
    ]);
    expect(answered).toBe('answered');
    expect(h.log.includes('bg-enc-end 12')).toBe(false);
    expect(h.core.encoderRuns.foreground).toBe(1);
    expect(h.core.encodedInstead).toBe(1);
    gate.release();
    await h.settled();
    // the late run's features (the same bits) did not displace the engine's own
    expect(h.core.cache.has(12)).toBe(true);
    expect(h.core.cache.peak).toBeLessThanOrEqual(h.core.cache.budget);
    expect(h.host.preencoder.status()).toMatchObject({ frame: 12, ready: true, done: 5, total: 5 });
  });

  test.runIf(process.platform === 'linux')(
    'the pre-encoding thread and its session threads run at the lowest priority (SCHED_IDLE, nice 19); the engine keeps its own',
    async () => {
      const h = await start({}, { window: 0 });
      await h.settled();
      const threads = readdirSync('/proc/self/task').map((t) => schedOf(readFileSync(`/proc/self/task/${t}/stat`, 'utf8'))!);
      const lowered = threads.filter((t) => t.nice === PREENCODE_NICE && t.policy === SCHED_IDLE);
      // the thread itself and its session's intra-op threads (threads: 1 here, so onnxruntime may start none)
      expect(lowered.length).toBeGreaterThanOrEqual(1);
      // nothing got only half of it: the policy and the nice value travel together
      expect(threads.filter((t) => (t.nice === PREENCODE_NICE) !== (t.policy === SCHED_IDLE))).toEqual([]);
      expect(threads.filter((t) => t.nice === 0 && t.policy === 0).length).toBeGreaterThanOrEqual(1);
      const stats = (await h.call('stats', {})) as { preencodeThread: { priority: string | null } | null };
      expect(stats.preencodeThread?.priority).toBe(`SCHED_IDLE, nice ${PREENCODE_NICE}`);
    },
  );

  test.each(['fast', 'lean'] as const)('memory mode %s: the thread’s session keeps an arena only in fast, where the thread plan gives one', async (memory) => {
    const h = await start({ memory }, { window: 0 });
    await h.settled();
    const stats = (await h.call('stats', {})) as { memory: { mode: string }; preencodeThread: { arena: boolean; threads: number } | null };
    expect(stats.memory.mode).toBe(memory);
    expect(stats.preencodeThread).not.toBeNull();
    const planned = preencodeThreadPlan(process.platform, 1, totalmem()).arena;
    expect(stats.preencodeThread!.arena).toBe(memory === 'fast' ? planned : false);
  });
});
