// Benchmark suite `preencode` (docs/engine.md, "Pre-encoding"; issue 16's targets):
// - click latency end to end through AppServices on a frame the playhead rested on for 4 s
//   (p50/p95/max over `--clicks`, default 20), against the same clicks with pre-encoding off
//   (the image encoder in the click), with the process's peak RSS in each mode;
// - propagation frames/s with pre-encoding on and off, alternating in one run, and the feature
//   cache's peak bytes against its budget;
// - RSS per frame over a long propagation (micro pack, two objects, `--frames`, default 10,000)
//   after warm-up, and the RSS of a 1080p propagation on the hiera-tiny-shaped pack
//   (`--hd-frames`, default 60).
// Full runs use the tiny-shapes pack where the targets name it; --quick uses the micro pack
// and short clips (a smoke run, not the recorded numbers).
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import type { PreencodeStatus } from '../../api/contract';
import { EngineClient } from '../../engine/engine-client';
import { GLIBC_MMAP_TUNABLE, type MemoryChoice } from '../../core/sam2/memory-mode';
import { AppServices } from '../../services/app-services';
import { microPack, repoRoot, tinyShapesPack } from './packs';
import { peakRss, resetPeakRss } from './peak-rss';
import type { BenchSuite, BenchTable } from './suite';
import { makeVideo } from './workflow';

/** The suite's tables, as `--parts` names them. */
export const PREENCODE_PARTS = ['click', 'propagation', 'rss'] as const;
export type PreencodePart = (typeof PREENCODE_PARTS)[number];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;
const mb = (b: number) => b / 2 ** 20;
const fmtMs = (x: number) => (Number.isFinite(x) ? String(Math.round(x)) : 'not ready');

async function ok<T>(s: AppServices, method: string, args: unknown = {}): Promise<T> {
  const r = await s.call(method, args);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

/** Samples this process's RSS (the engine worker and the pre-encoding thread are threads of it) until stopped. */
function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

async function until(fn: () => boolean, what: string, ms = 900_000): Promise<void> {
  for (const t0 = Date.now(); !fn(); await sleep(10)) if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
}

async function openServices(work: string, name: string, packDir: string, video: string, preencode: boolean): Promise<AppServices> {
  const models = join(work, `${name}-models`);
  cpSync(packDir, join(models, 'pack'), { recursive: true });
  const s = new AppServices({
    dataDir: join(work, `${name}-data`),
    transport: 'browser',
    version: 'bench',
    log: () => {},
    repoRoot: null,
    env: { MASKLINE_MODELS: models },
    engine: { provider: 'cpu' },
  });
  await ok(s, 'engine.setPreencode', { enabled: preencode });
  await ok(s, 'project.openVideo', { path: video });
  await until(
    () => s.current?.video.cache.isComplete() === true && s.engine.status().state === 'ready' && Object.keys(s.engine.status().providers).length > 0,
    'frames and engine',
  );
  return s;
}

/** Clicks on frames 10, 20, …: each after the playhead rested there `restMs`, or (pre-encoding off) cold. */
async function clickRows(label: string, packDir: string, work: string, clicks: number, restMs: number, detail: string[]): Promise<(string | number)[][]> {
  const [w, h] = [960, 540];
  const video = makeVideo(join(work, `${label}-click.mp4`), w, h, 10 * (clicks + 1) + 1);
  const at = (f: number): [number, number] => [Math.min(w - 1, Math.round(135 + 3 * f)), Math.round(h / 2)];
  const rows: (string | number)[][] = [];
  for (const on of [true, false]) {
    const s = await openServices(work, `${label}-${on ? 'on' : 'off'}`, packDir, video, on);
    const rss = rssSampler();
    try {
      await ok(s, 'objects.add');
      await ok(s, 'prompts.add', { objectId: 1, frame: 0, points: [at(0)], labels: [1] }); // warm-up
      const ms: number[] = [];
      const readyAfter: number[] = [];
      const [busy, idle]: number[][] = [[], []];
      for (let k = 1; k <= clicks; k++) {
        const f = 10 * k;
        await ok(s, 'engine.preencode', { frame: f });
        // the rest, watching when the frame became ready (the status arrives from the engine as it changes)
        const rest0 = performance.now();
        let readyAt: number | null = null;
        while (performance.now() - rest0 < restMs) {
          const st = s.engine.preencodeStatus();
          if (readyAt === null && st.frame === f && st.ready) readyAt = performance.now() - rest0;
          await sleep(Math.min(10, Math.max(0, restMs - (performance.now() - rest0))));
        }
        if (on) readyAfter.push(readyAt ?? Infinity);
        const ready = s.engine.preencodeStatus();
        const t0 = performance.now();
        await ok(s, 'prompts.add', { objectId: 1, frame: f, points: [at(f)], labels: [1] });
        ms.push(performance.now() - t0);
        // a neighbour's encoder run in the background thread at the click shares the two cores with it
        if (on) (ready.encoding !== null ? busy : idle).push(ms[ms.length - 1]!);
        if (on && !(ready.frame === f && ready.ready)) ms[ms.length - 1] = -ms[ms.length - 1]!; // marks a frame not ready after the rest
      }
      const notReady = ms.filter((x) => x < 0).length;
      const list = (xs: number[]) => (xs.length ? xs.map((x) => x.toFixed(0)).join(', ') : 'none');
      if (on) detail.push(`${label}, pre-encoding on: clicks while the thread encoded a neighbour (ms): ${list(busy)}; with the thread idle: ${list(idle)}`);
      const abs = ms.map(Math.abs);
      rows.push([
        label,
        on ? `rested ${restMs / 1000} s, pre-encoding on` : `rested ${restMs / 1000} s, pre-encoding off`,
        clicks,
        pct(abs, 0.5),
        pct(abs, 0.95),
        Math.max(...abs),
        on ? `${clicks - notReady}/${clicks}` : '—',
        on ? `${fmtMs(pct(readyAfter, 0.5))} / ${fmtMs(pct(readyAfter, 0.95))}` : '—',
        mb(rss.stop()),
      ]);
    } finally {
      rss.stop();
      await s.shutdown();
    }
  }
  return rows;
}

/**
 * Propagation of `frames` frames through the services, pre-encoding on and off taking turns (best
 * of `rounds` each). Every run opens the video afresh (its own services and data folder), so no run
 * finds features an earlier one left in the feature cache: the only frames a run does not encode
 * itself are the ones pre-encoding gave it.
 */
async function propagationRows(label: string, packDir: string, work: string, frames: number, rounds: number): Promise<(string | number)[][]> {
  const video = makeVideo(join(work, `${label}-prop.mp4`), 640, 360, frames);
  const best: Record<'on' | 'off', number> = { on: 0, off: 0 };
  let cache = { peakBytes: 0, budget: 0 };
  for (let r = 0; r < rounds; r++) {
    for (const mode of ['on', 'off'] as const) {
      const s = await openServices(work, `${label}-prop-${r}-${mode}`, packDir, video, mode === 'on');
      try {
        await ok(s, 'objects.add');
        await ok(s, 'prompts.add', { objectId: 1, frame: 0, points: [[120, 180]], labels: [1] });
        // the playhead rests on the start frame, as before a person presses "propagate"
        await ok(s, 'engine.preencode', { frame: 0 });
        if (mode === 'on')
          await until(() => {
            const st: PreencodeStatus = s.engine.preencodeStatus();
            return st.encoding === null && (st.done === st.total || st.full);
          }, 'the window');
        const t0 = performance.now();
        const { jobId } = await ok<{ jobId: string }>(s, 'track.propagate', { frame: 0, direction: 'forward' });
        await until(() => ['done', 'failed', 'cancelled'].includes(s.jobs.get(jobId)?.state ?? ''), 'the propagation');
        const job = s.jobs.get(jobId)!;
        if (job.state !== 'done') throw new Error(`propagation ${job.state}`);
        const computed = (job.result as { frames?: number } | null)?.frames;
        // the whole clip (the prompted frame 0 may or may not be counted)
        if (computed === undefined || computed < frames - 1)
          throw new Error(`the propagation computed ${computed} of ${frames} frames: the measurement would be wrong`);
        best[mode] = Math.max(best[mode], (frames / (performance.now() - t0)) * 1000);
        const c = (await s.engine.run((e) => e.client.stats() as Promise<{ featureCache: typeof cache }>)).featureCache;
        cache = { peakBytes: Math.max(cache.peakBytes, c.peakBytes), budget: c.budget };
      } finally {
        await s.shutdown();
      }
    }
  }
  return [[label, frames, rounds, best.on, best.off, best.on / best.off, mb(cache.peakBytes), mb(cache.budget)]];
}

/** RSS of this process (the engine worker is a thread of it) while one propagation streams `frames` frames in memory mode `memory`. */
async function rssRun(
  label: string,
  packDir: string,
  video: string,
  objects: [number, number][],
  samples: number,
  memory: MemoryChoice = 'auto',
): Promise<(string | number)[]> {
  const client = EngineClient.start();
  // the kernel's peak sees inside graph runs; the per-frame samples below only between frames
  const kernelPeak = resetPeakRss();
  try {
    const info = await client.open(packDir, { kind: 'video', path: video }, { provider: 'cpu', preencodeWindow: 0, memory }, { enabled: false, window: 0 });
    for (const [i, xy] of objects.entries()) await client.addPoints(0, i + 1, { points: [xy], labels: [1] }, { masks: false });
    const every = Math.max(1, Math.floor(info.numFrames / samples));
    const pts: { f: number; rss: number }[] = [];
    let peak = 0;
    const t0 = performance.now();
    for await (const f of client.propagate({})) {
      const rss = process.memoryUsage.rss();
      peak = Math.max(peak, rss);
      if (f.index % every === 0) pts.push({ f: f.index, rss });
    }
    const secs = (performance.now() - t0) / 1000;
    if (kernelPeak) peak = Math.max(peak, peakRss() ?? 0);
    // warm-up: the first fifth (caches fill, sessions' arenas grow); growth = least-squares slope after it
    const warm = pts.filter((p) => p.f >= info.numFrames / 5);
    const n = warm.length;
    const mf = warm.reduce((a, p) => a + p.f, 0) / n;
    const mr = warm.reduce((a, p) => a + p.rss, 0) / n;
    const slope =
      warm.reduce((a, p) => a + (p.f - mf) * (p.rss - mr), 0) /
      Math.max(
        1e-9,
        warm.reduce((a, p) => a + (p.f - mf) ** 2, 0),
      );
    return [
      label,
      `${info.width}×${info.height}`,
      info.numFrames,
      objects.length,
      `${info.memory.mode}${memory === 'auto' ? ' (auto)' : ''}; attention: encoder ${info.encoderAttention}, memory ${info.attention}`,
      mb(warm[0]?.rss ?? 0),
      mb(pts.at(-1)!.rss),
      mb(peak),
      mb(slope),
      info.numFrames / secs,
    ];
  } finally {
    await client.close();
  }
}

export const preencodeBench: BenchSuite = {
  name: 'preencode',
  summary: 'click after the playhead rested 4 s (p95), propagation frames/s with pre-encoding on vs off, RSS per frame over long propagations',
  async run({ quick, workDir, frames, hdFrames: hd, clicks, propFrames, parts }) {
    const root = repoRoot();
    const micro = microPack(root);
    const tiny = quick ? null : tinyShapesPack(root);
    const clickPack = tiny ?? micro;
    const clickLabel = tiny ? 'hiera-tiny shapes' : 'micro';
    const want = (p: PreencodePart) => !parts || parts.includes(p);
    const tables: BenchTable[] = [];
    if (want('click')) {
      const detail: string[] = [];
      const rows = await clickRows(clickLabel, clickPack, workDir, clicks ?? (quick ? 3 : 20), 4000, detail);
      tables.push({
        title: 'preencode: click-to-mask through AppServices on a frame the playhead rested on',
        columns: ['pack', 'click', 'clicks', 'p50 ms', 'p95 ms', 'max ms', 'frame ready at the click', 'ready after p50 / p95 ms', 'peak RSS MB'],
        rows,
        notes: [
          '960×540 video; each click (prompts.add, end to end through AppServices) on a new frame (10, 20, …) after `engine.preencode` on it and the rest; "off" pays the image encoder in the click; target p95 ≤ 150 ms on the tiny shapes',
          'peak RSS: this process (services, engine worker and pre-encoding thread) sampled every 50 ms over each mode',
          ...detail,
        ],
      });
    }
    if (want('propagation'))
      tables.push({
        title: 'preencode: propagation frames/s with pre-encoding on and off (one run, taking turns, each on a freshly opened video)',
        columns: ['pack', 'frames', 'rounds', 'on frames/s (best)', 'off frames/s (best)', 'on / off', 'feature cache peak MB', 'feature cache budget MB'],
        rows: await propagationRows(clickLabel, clickPack, workDir, propFrames ?? (quick ? 20 : tiny ? 12 : 60), 2),
        notes: [
          '640×360 video, one object, forward from frame 0 after the playhead rested there (on: until the window is encoded); target on / off ≥ 0.97; the feature cache never above its budget',
        ],
      });
    if (want('rss')) {
      const longFrames = frames ?? (quick ? 300 : 10_000);
      const long = makeVideo(join(workDir, 'long.mp4'), 320, 180, longFrames);
      const rss: (string | number)[][] = [
        await rssRun(
          'micro',
          micro,
          long,
          [
            [60, 90],
            [240, 60],
          ],
          50,
        ),
      ];
      if (tiny) {
        const hdVideo = makeVideo(join(workDir, 'hd.mp4'), 1920, 1080, hd ?? 60);
        // lean first: a process's RSS after a fast run (freed arenas the allocator may keep) would count against lean
        for (const memory of ['lean', 'fast'] as const)
          rss.push(
            await rssRun(
              'hiera-tiny shapes',
              tiny,
              hdVideo,
              [
                [500, 540],
                [1400, 300],
              ],
              20,
              memory,
            ),
          );
      }
      tables.push({
        title: 'preencode: RSS over one propagation (engine worker in this process, default pack-sized budgets, no pre-encoding window)',
        columns: [
          'pack',
          'video',
          'frames',
          'objects',
          'memory mode',
          'RSS after warm-up MB',
          'RSS at the end MB',
          'peak RSS MB',
          'growth after warm-up MB/frame',
          'frames/s',
        ],
        rows: rss,
        notes: [
          'warm-up = the first fifth of the frames; growth = least-squares slope of RSS over the frames after it (target ≤ 0.01 MB/frame); 1080p target ≤ 1 GiB RSS',
          `peak RSS: ${peakRss() !== null ? "the kernel's high-water mark (VmHWM) from opening the engine to the last frame, graph runs included" : 'the largest RSS sampled at each frame (no kernel high-water mark here)'}`,
          '1080p: both memory modes, lean first (docs/engine.md, "Memory modes"); the micro row runs the mode auto chose',
          `malloc: GLIBC_TUNABLES=${process.env.GLIBC_TUNABLES ?? '(unset)'} — lean frees every run's activations; how much of that glibc keeps resident depends on its mmap threshold (${GLIBC_MMAP_TUNABLE} gives it back)`,
        ],
      });
    }
    return tables;
  },
};
