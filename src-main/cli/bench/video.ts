// Benchmark suite `video`: frame extraction against plain ffmpeg on the same clip in the same
// run (the ratio is what counts), and the project database under propagation-sized writes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Rle } from '../../api/contract';
import { decodeMask, encodeMask, packRle } from '../../core/masks/rle';
import { openProjectStore, PROJECT_DB_FILE } from '../../core/store';
import { extractFrames, requireTool } from '../../core/video';
import type { BenchOptions, BenchSuite, BenchTable } from './suite';

export const videoBench: BenchSuite = {
  name: 'video',
  summary: 'frame extraction vs plain ffmpeg (1080p), mask store throughput, size and reopen time',
  async run(opts) {
    return [await extractionTable(opts), ...storeTables(opts)];
  },
};

function ffmpeg(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(requireTool('ffmpeg').path, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
  return performance.now() - t0;
}

async function extractionTable(opts: BenchOptions): Promise<BenchTable> {
  const seconds = opts.quick ? 3 : 30;
  const fps = 30;
  const clip = join(opts.workDir, 'clip-1080p.mp4');
  // A moving test pattern with a common delivery encoding (H.264 High, yuv420p, GOP 60).
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=1920x1080:rate=${fps}:duration=${seconds}`,
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '20',
    '-g',
    '60',
    '-pix_fmt',
    'yuv420p',
    clip,
  ]);
  const frames = seconds * fps;
  const reps = opts.quick ? 1 : 3;
  const plain: number[] = [];
  const ours: number[] = [];
  for (let r = 0; r < reps; r++) {
    // Alternate the two so that neither profits from a warmer disk cache.
    const out = join(opts.workDir, `plain-${r}`);
    mkdirSync(out);
    plain.push(ffmpeg(['-i', clip, '-q:v', '2', join(out, '%05d.jpg')]));
    const n = readdirSync(out).length;
    if (n !== frames) throw new Error(`plain ffmpeg wrote ${n} frames, expected ${frames}`);
    rmSync(out, { recursive: true, force: true });

    const cacheRoot = join(opts.workDir, `cache-${r}`);
    const t0 = performance.now();
    const m = await extractFrames({ videoPath: clip, cacheRoot });
    ours.push(performance.now() - t0);
    if (m.frames !== frames) throw new Error(`extraction wrote ${m.frames} frames, expected ${frames}`);
    rmSync(cacheRoot, { recursive: true, force: true });
  }
  const best = (xs: number[]) => Math.min(...xs);
  const plainFps = frames / (best(plain) / 1000);
  const oursFps = frames / (best(ours) / 1000);
  return {
    title: `Frame extraction, 1920×1080 H.264, ${seconds} s (${frames} frames), JPEG -q:v 2`,
    columns: ['method', 'best time (s)', 'frames/s', 'ratio to plain ffmpeg'],
    rows: [
      ['plain `ffmpeg -i x -q:v 2 out/%05d.jpg`', best(plain) / 1000, plainFps, 1],
      ['maskline extractFrames (probe + key + extract + manifest)', best(ours) / 1000, oursFps, oursFps / plainFps],
    ],
    notes: [`best of ${reps} alternating runs each; target ratio ≥ 0.9`],
  };
}

/** Row-major RLE of a filled ellipse, built per row without touching pixels (fast test data). */
export function ellipseRle(h: number, w: number, cx: number, cy: number, rx: number, ry: number): Rle {
  const counts: number[] = [];
  let bg = 0;
  for (let y = 0; y < h; y++) {
    const dy = (y + 0.5 - cy) / ry;
    if (Math.abs(dy) >= 1) {
      bg += w;
      continue;
    }
    const half = rx * Math.sqrt(1 - dy * dy);
    const x0 = Math.max(0, Math.min(w, Math.round(cx - half)));
    const x1 = Math.max(0, Math.min(w, Math.round(cx + half)));
    if (x1 <= x0) {
      bg += w;
      continue;
    }
    counts.push(bg + x0, x1 - x0);
    bg = w - x1;
  }
  counts.push(bg);
  return { h, w, counts };
}

function storeTables(opts: BenchOptions): BenchTable[] {
  const H = 1080;
  const W = 1920;
  const objects = 10;
  const frames = opts.quick ? 300 : 5000;
  const dir = join(opts.workDir, 'project');
  const store = openProjectStore(dir);
  const ids = Array.from({ length: objects }, (_, i) => store.objects.add({ name: `obj ${i}` }).id);
  // Each object wanders across the frame; sizes differ per object like real ones do.
  const maskOf = (o: number, f: number) =>
    ellipseRle(H, W, 200 + ((f * (3 + o) + o * 170) % 1500), 200 + ((f * (2 + o) + o * 70) % 700), 60 + o * 25, 40 + o * 18);

  let writeMs = 0;
  for (let f = 0; f < frames; f++) {
    // Propagation streams one frame of all objects at a time: one transaction per frame.
    const batch = ids.map((objectId, o) => ({ objectId, frame: f, rle: maskOf(o, f), score: 4, source: 'propagated' as const }));
    const t0 = performance.now();
    store.masks.putMany(batch);
    writeMs += performance.now() - t0;
  }
  store.prompts.set({ objectId: ids[0]!, frame: 0, points: [[300, 300]], labels: [1] });
  store.checkpoint();
  const total = objects * frames;
  const bytes = statSync(join(dir, PROJECT_DB_FILE)).size;

  let readMs = 0;
  const reads = 200;
  for (let i = 0; i < reads; i++) {
    const t0 = performance.now();
    store.masks.forFrame((i * 37) % frames);
    readMs += performance.now() - t0;
  }
  store.close();

  const t0 = performance.now();
  const reopened = openProjectStore(dir, { create: false });
  const tracks = reopened.trackSummaries();
  const reopenMs = performance.now() - t0;
  reopened.close();
  if (tracks.length !== objects || tracks.some((t) => t.frames.length !== frames)) throw new Error('track summaries are incomplete');

  // Encode + pack of a decoded 1080p mask, the path of every mask the engine produces.
  const pixels = decodeMask(maskOf(3, 7));
  const reps = opts.quick ? 50 : 300;
  const e0 = performance.now();
  for (let i = 0; i < reps; i++) packRle(encodeMask(pixels, H, W));
  const encodeMs = (performance.now() - e0) / reps;

  return [
    {
      title: `Masks in SQLite, ${objects} objects × ${frames} frames at 1920×1080 (${total} masks)`,
      columns: ['measure', 'value'],
      rows: [
        ['masks stored per second (one transaction per frame of 10)', total / (writeMs / 1000)],
        ['database size per 1,000 masks (KiB)', bytes / 1024 / (total / 1000)],
        ['database size (MiB)', bytes / 2 ** 20],
        ['read one frame of 10 masks, decoded to RLE (ms)', readMs / reads],
        [`reopen + track summaries of ${total} masks (ms)`, reopenMs],
        ['encode + pack one 1080p mask from pixels (ms)', encodeMs],
      ],
      notes: ['masks are filled ellipses moving across the frame (about 2 runs per row they cover)'],
    },
  ];
}
