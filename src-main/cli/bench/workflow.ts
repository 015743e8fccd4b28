// Benchmark suite `workflow` (docs/workflow.md): click-to-mask latency through the services
// (micro pack; full runs also the hiera-tiny-shaped pack prepared in .cache as the engine suite
// does), with and without the frame's encoder features cached; masks stored per second and
// database size per 1,000 masks at 1080p through the propagation's own write path; reopening a
// project of 10 objects × 5,000 frames (AppServices open → ProjectState with tracks) and the
// engine restore of its 50,000 outputs on the first click.
import { execFileSync } from 'node:child_process';
import { cpSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectState } from '../../api/contract';
import { encodeMask } from '../../core/masks/rle';
import { encodeRuns } from '../../core/sam2/low-res-rle';
import type { PropagatedFrame } from '../../core/sam2/predictor';
import { openProjectStore, type MaskWrite } from '../../core/store';
import { requireTool } from '../../core/video';
import { AppServices } from '../../services/app-services';
import { syncAll } from '../../services/workflow/engine-sync';
import { writePropagatedFrame } from '../../services/workflow/frame-writer';
import { microPack, repoRoot, tinyShapesPack } from './packs';
import type { BenchSuite, BenchTable } from './suite';

/** A white square moving right over a dark background, like the tests' 'shapes' video. */
export function makeVideo(out: string, w: number, h: number, frames: number): string {
  const side = Math.round(Math.min(w, h) / 4);
  const vf = `drawbox=x=0:y=0:w=iw:h=ih:color=0x202830:t=fill,drawbox=x='mod(${side}/2+t*75\\,${w - side})':y=${Math.round(h / 2 - side / 2)}:w=${side}:h=${side}:color=white:t=fill`;
  execFileSync(requireTool('ffmpeg').path, [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=${w}x${h}:rate=25`,
    '-vf',
    vf,
    '-frames:v',
    String(frames),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    out,
  ]);
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(fn: () => boolean, what: string, ms = 600_000): Promise<void> {
  for (const t0 = Date.now(); !fn(); await sleep(5)) if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
}
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function ok<T>(s: AppServices, method: string, args: unknown = {}): Promise<T> {
  const r = await s.call(method, args);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

function services(dataDir: string, modelsDir: string): AppServices {
  return new AppServices({
    dataDir,
    transport: 'browser',
    version: 'bench',
    log: () => {},
    repoRoot: null,
    env: { MASKLINE_MODELS: modelsDir },
    engine: { provider: 'cpu' },
  });
}

async function openReady(s: AppServices, call: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await call();
  await until(
    () => s.current?.video.cache.isComplete() === true && s.engine.status().state === 'ready' && Object.keys(s.engine.status().providers).length > 0,
    'frames and engine',
  );
  return performance.now() - t0;
}

async function clickLatency(label: string, packDir: string, work: string, clicks: number, w: number, h: number): Promise<(string | number)[][]> {
  const video = makeVideo(join(work, `${label}.mp4`), w, h, clicks + 1);
  const s = services(join(work, `${label}-data`), packDir);
  try {
    await openReady(s, () => ok(s, 'project.openVideo', { path: video }));
    await ok(s, 'objects.add');
    const at = (f: number): [number, number] => [Math.min(w - 1, Math.round(Math.min(w, h) / 8 + 3 * f + Math.min(w, h) / 8)), Math.round(h / 2)];
    await ok(s, 'prompts.add', { objectId: 1, frame: 0, points: [at(0)], labels: [1] }); // warm-up (restore, sessions)
    const cold: number[] = [];
    const warm: number[] = [];
    for (let f = 1; f <= clicks; f++) {
      let t0 = performance.now();
      await ok(s, 'prompts.add', { objectId: 1, frame: f, points: [at(f)], labels: [1] });
      cold.push(performance.now() - t0);
      t0 = performance.now();
      await ok(s, 'prompts.add', { objectId: 1, frame: f, points: [at(f), [5, 5]], labels: [1, 0] });
      warm.push(performance.now() - t0);
    }
    return [
      [label, `${w}×${h}`, 'encoder features not cached (new frame)', clicks, pct(cold, 0.5), pct(cold, 1)],
      [label, `${w}×${h}`, 'cached (second click on the frame)', clicks, pct(warm, 0.5), pct(warm, 1)],
    ];
  } finally {
    await s.shutdown();
  }
}

/** A filled ellipse moving with the frame, as H×W 0/1. */
function ellipse(w: number, h: number, cx: number, cy: number, rx: number, ry: number): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(h, Math.ceil(cy + ry)); y++) {
    const dx = rx * Math.sqrt(Math.max(0, 1 - ((y - cy) / ry) ** 2));
    m.fill(1, y * w + Math.max(0, Math.round(cx - dx)), y * w + Math.min(w, Math.round(cx + dx)));
  }
  return m;
}

/** Engine state of a hiera-tiny output: a 256-float pointer and the 256×256 low-res summary. */
function snapshotFor(frame: number, L: number, C: number) {
  const low = ellipse(L, L, L / 2 + (frame % 20), L / 2, L / 5, L / 6);
  return {
    frame,
    isCond: false,
    tracked: 'forward' as const,
    score: 3.5,
    iou: 0.9,
    objPtr: new Float32Array(C).fill(0.01 * frame),
    summary: { runs: encodeRuns(Float32Array.from(low, (v) => v - 0.5)), fgMean: 6.2, bgMean: -9.4 },
    memFromPrompt: false,
    lowRes: null,
    points: null,
    maskPrompt: false,
  };
}

function storeThroughput(work: string, frames: number, objects: number): BenchTable {
  const [W, H] = [1920, 1080];
  const store = openProjectStore(join(work, 'store-1080p'));
  const rows: (string | number)[][] = [];
  try {
    for (let o = 0; o < objects; o++) store.objects.add();
    const variants = Array.from({ length: 8 }, (_, v) =>
      Array.from({ length: objects }, (_, o) => ellipse(W, H, 200 + o * 160 + v * 9, 300 + (o % 3) * 250, 90 + v, 140)),
    );
    const snaps = Array.from({ length: 8 }, (_, v) => snapshotFor(v, 256, 256));
    for (const pass of ['first propagation (new rows)', 're-propagation over them (undo keeps the old rows)']) {
      const run = store.runs.start({ kind: 'propagate' });
      const t0 = performance.now();
      for (let f = 0; f < frames; f++) {
        const pf: PropagatedFrame = {
          frame: f,
          index: f,
          total: frames,
          objects: variants[f % 8]!.map((mask, o) => ({ objId: o + 1, scoreLogit: 3.5, isCond: false, hasOutput: true, mask, snapshot: snaps[f % 8]! })),
        };
        writePropagatedFrame(store, pf, { entry: rows.length + 1, runId: run.id, packId: 'bench', size: { width: W, height: H } }, f + 1);
      }
      const ms = performance.now() - t0;
      store.checkpoint();
      const bytes = statSync(store.file).size;
      rows.push([pass, frames * objects, ((frames * objects) / ms) * 1000, bytes / 2 ** 20, bytes / 1024 / ((frames * objects) / 1000)]);
    }
  } finally {
    store.close();
  }
  return {
    title: 'workflow: masks stored at 1080p through the propagation write path',
    columns: ['pass', 'masks', 'masks/s (RLE encode + transaction per frame)', 'database MiB', 'KiB per 1,000 masks'],
    rows,
    notes: [
      `${objects} objects per frame, moving ellipses; each row carries the engine state of a hiera-tiny output (1 KiB pointer + low-res summary); undo cells included`,
    ],
  };
}

async function reopen(work: string, modelsDir: string, frames: number, objects: number): Promise<BenchTable> {
  const video = makeVideo(join(work, 'reopen.mp4'), 320, 240, frames);
  const dataDir = join(work, 'reopen-data');
  let s = services(dataDir, modelsDir);
  const extractMs = await openReady(s, () => ok(s, 'project.openVideo', { path: video }));
  const dir = s.current!.dir;
  await s.shutdown();
  const store = openProjectStore(dir, { create: false });
  const t0 = performance.now();
  try {
    for (let o = 1; o <= objects; o++) {
      store.objects.add();
      const logits = Float32Array.from(ellipse(64, 64, 20 + o, 32, 10, 12), (v) => (v ? 4 : -6));
      store.transaction(() => {
        store.prompts.set({ objectId: o, frame: 0, points: [[60 + o, 120]], labels: [1] });
        store.engine.setCond(o, 0, { logits, points: { coords: [48 + o, 128], labels: [1] }, maskPrompt: false });
        const rows: MaskWrite[] = [];
        for (let f = 0; f < frames; f++) {
          const snap = snapshotFor(f, 64, 128);
          const engine = { objPtr: snap.objPtr, summary: snap.summary, memFromPrompt: f === 0, tracked: f === 0 ? null : ('forward' as const), iou: 0.9 };
          rows.push({
            objectId: o,
            frame: f,
            rle: encodeMask(ellipse(320, 240, 40 + ((f * 3) % 240), 40 + o * 16, 30, 12), 240, 320),
            score: 3.5,
            source: f === 0 ? 'prompt' : 'propagated',
            packId: 'sam2-micro',
            engine,
          });
        }
        store.masks.putMany(rows);
      });
    }
    store.checkpoint();
  } finally {
    store.close();
  }
  const writeMs = performance.now() - t0;
  s = services(dataDir, modelsDir);
  try {
    let state: ProjectState | null = null;
    let t = performance.now();
    state = await ok<ProjectState>(s, 'project.open', { dir });
    const openMs = performance.now() - t;
    const json = JSON.stringify(state).length;
    t = performance.now();
    await until(() => s.engine.status().state === 'ready' && Object.keys(s.engine.status().providers).length > 0, 'the engine');
    const engineMs = performance.now() - t;
    // the restore the first engine call after an open does (workflow/engine-sync), timed on its own
    const size = { width: 320, height: 240 };
    t = performance.now();
    await s.engine.run((e) => syncAll({ store: s.current!.store, client: e.client, packId: e.packId, size }));
    const restoreMs = performance.now() - t;
    const f = Math.floor(frames / 2);
    t = performance.now();
    await ok(s, 'prompts.add', { objectId: 1, frame: f, points: [[160, 120]], labels: [1] });
    const firstClick = performance.now() - t;
    t = performance.now();
    await ok(s, 'prompts.add', {
      objectId: 1,
      frame: f,
      points: [
        [160, 120],
        [10, 10],
      ],
      labels: [1, 0],
    });
    const nextClick = performance.now() - t;
    return {
      title: `workflow: reopening ${objects} objects × ${frames} frames`,
      columns: ['step', 'ms'],
      rows: [
        ['synthetic rows written through the store (not part of reopening)', writeMs],
        ['project.open → ProjectState with tracks', openMs],
        [`  its JSON size (KiB)`, json / 1024],
        ['engine ready after the open (sessions + frame folder)', engineMs],
        [`engine restore of ${objects * frames} outputs from the database`, restoreMs],
        ['first click on a tracked frame after reopening (restore again + features and memories of the frames it attends to)', firstClick],
        ['second click on that frame (cached)', nextClick],
      ],
      notes: [
        `first open with extraction of ${frames} frames at 320×240 took ${(extractMs / 1000).toFixed(1)} s`,
        'micro pack (pointer 128 floats, 64×64 low-res summary)',
      ],
    };
  } finally {
    await s.shutdown();
  }
}

export const workflowBench: BenchSuite = {
  name: 'workflow',
  summary: 'click-to-mask latency through the services, masks stored per second and DB size at 1080p, reopen of 10 objects × 5,000 frames',
  async run({ quick, workDir }) {
    const root = repoRoot();
    const micro = join(workDir, 'models', 'sam2-micro');
    cpSync(microPack(root), micro, { recursive: true });
    const clicks: (string | number)[][] = [...(await clickLatency('micro', micro, workDir, quick ? 3 : 10, 960, 540))];
    const tiny = quick ? null : tinyShapesPack(root);
    if (tiny) clicks.push(...(await clickLatency('hiera-tiny shapes', tiny, workDir, 3, 960, 540)));
    const tables: BenchTable[] = [
      {
        title: 'workflow: click-to-mask latency through AppServices (prompts.add → masks of the frame in SQLite and in the answer)',
        columns: ['pack', 'video', 'click', 'clicks', 'p50 ms', 'max ms'],
        rows: clicks,
        notes: [
          quick
            ? 'quick run: micro pack only'
            : tiny
              ? 'CPU provider, default threads'
              : 'tiny-shapes pack not found (../shared/fixtures/sam2.1-tiny-shapes or MASKLINE_TINY_SHAPES_DIR)',
        ],
      },
      storeThroughput(workDir, quick ? 30 : 500, 10),
      await reopen(workDir, join(workDir, 'models'), quick ? 500 : 5000, 10),
    ];
    return tables;
  },
};
