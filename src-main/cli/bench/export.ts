// Export benchmark: the overlay MP4 at 1080p against ffmpeg's own re-encode of the same clip
// (same encoder settings, same run), the per-frame formats in frames/s, and the PNG
// compression settings the mask writers use.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { constants, deflateSync } from 'node:zlib';
import type { ExportFormat } from '../../api/contract';
import { YuvBlender } from '../../core/export/blend';
import { yuv420Layout } from '../../core/export/yuv420';
import { runExport, storeExportSource } from '../../core/export';
import { paintRle } from '../../core/export/rle-paint';
import { encodeMask } from '../../core/masks/rle';
import { openProjectStore } from '../../core/store';
import { computeVideoKey, probeVideo, requireTool } from '../../core/video';
import type { BenchOptions, BenchSuite, BenchTable } from './suite';

const W = 1920;
const H = 1080;
const OBJECTS = 3;
const OVERLAY_ROUNDS = 2;

function ffmpeg(args: string[]): void {
  const r = spawnSync(requireTool('ffmpeg').path, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${r.stderr}`);
}

/** Object o on frame f: an ellipse that drifts, with a wavy bar joined to it (a ragged outline for YOLO). */
function objectBitmap(o: number, f: number): Uint8Array {
  const m = new Uint8Array(W * H);
  const cx = 300 + o * 550 + ((f * 7) % 200);
  const cy = 300 + o * 150 + ((f * 3) % 100);
  const rx = 180 + o * 40;
  const ry = 140 + o * 30;
  for (let y = Math.max(0, cy - ry); y < Math.min(H, cy + ry + 300); y++) {
    const dy = (y - cy) / ry;
    const half = Math.abs(dy) < 1 ? rx * Math.sqrt(1 - dy * dy) : 0;
    const wave = cx + 40 * Math.sin((y + f * 5) / 25);
    for (let x = Math.max(0, cx - rx); x < Math.min(W, cx + rx + 60); x++) {
      if (Math.abs(x - cx) < half || (y > cy && Math.abs(x - wave) < 30)) m[y * W + x] = 1;
    }
  }
  return m;
}

async function makeProject(opts: BenchOptions, frames: number): Promise<{ dir: string; clip: string }> {
  const clip = join(opts.workDir, 'clip-1080p.mp4');
  // testsrc2 moves and has detail everywhere, so the encoder does real work on every frame
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${W}x${H}:rate=30`,
    '-frames:v',
    String(frames),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-qp',
    '18',
    '-pix_fmt',
    'yuv420p',
    clip,
  ]);
  const dir = join(opts.workDir, 'project');
  const store = openProjectStore(dir);
  try {
    store.videos.upsert({ path: clip, key: (await computeVideoKey(clip)).key, probe: await probeVideo(clip) });
    const ids = Array.from({ length: OBJECTS }, (_, o) => store.objects.add({ name: `object ${o + 1}`, label: o === 0 ? 'person' : 'car' }).id);
    for (let f = 0; f < frames; f++) {
      store.masks.putMany(
        ids.map((objectId, o) => ({ objectId, frame: f, rle: encodeMask(objectBitmap(o, f), H, W), score: o, source: 'propagated' as const })),
      );
    }
  } finally {
    store.close();
  }
  return { dir, clip };
}

async function timeExport(projectDir: string, formats: ExportFormat[], outDir: string): Promise<{ ms: number; frames: number }> {
  const store = openProjectStore(projectDir, { create: false });
  try {
    const t0 = performance.now();
    const r = await runExport(storeExportSource(store), { formats, outDir });
    return { ms: performance.now() - t0, frames: r.frames };
  } finally {
    store.close();
  }
}

/**
 * The re-encode and the overlay export, taking turns, best of OVERLAY_ROUNDS each: a single
 * pass let whatever else the machine did at that moment (the clip and the project were just
 * written) land on one side of the ratio only.
 */
async function timeOverlayAgainstFfmpeg(
  opts: BenchOptions,
  projectDir: string,
  clip: string,
): Promise<{ baselineMs: number; overlay: { ms: number; frames: number } }> {
  let baselineMs = Infinity;
  let overlay = { ms: Infinity, frames: 0 };
  for (let round = 0; round < (opts.quick ? 1 : OVERLAY_ROUNDS); round++) {
    const b0 = performance.now();
    ffmpeg(['-i', clip, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', join(opts.workDir, 'reencode.mp4')]);
    baselineMs = Math.min(baselineMs, performance.now() - b0);
    const run = await timeExport(projectDir, ['overlay'], join(opts.workDir, 'out-overlay'));
    if (run.ms < overlay.ms) overlay = run;
  }
  return { baselineMs, overlay };
}

function overlayTable(baselineMs: number, overlay: { ms: number; frames: number }, blendMs: number): BenchTable {
  const fps = (ms: number) => overlay.frames / (ms / 1000);
  return {
    title: `Overlay MP4 at ${W}×${H} (${overlay.frames} frames, ${OBJECTS} objects on every frame)`,
    columns: ['pipeline', 'seconds', 'frames/s', 'vs ffmpeg'],
    rows: [
      ['ffmpeg -i clip -c:v libx264 -pix_fmt yuv420p', baselineMs / 1000, fps(baselineMs), 1],
      ['maskline overlay export (decode yuv420p → blend → encode)', overlay.ms / 1000, fps(overlay.ms), baselineMs / overlay.ms],
      ['  of which blending in JS (yuv420p), per frame (ms)', '', blendMs, ''],
    ],
    notes: [
      `same libx264 settings (preset medium, CRF 23) on both sides, measured in the same run, taking turns: best of ${OVERLAY_ROUNDS} each (1 with --quick)`,
      'vs ffmpeg: export speed / re-encode speed (1 = no overhead)',
    ],
  };
}

function maskBlendMs(frames: number): number {
  const yuv = new Uint8Array(yuv420Layout(W, H).bytes).fill(90);
  const layers = Array.from({ length: OBJECTS }, (_, o) => ({ rle: encodeMask(objectBitmap(o, 0), H, W), color: [0, 255, 0] as [number, number, number] }));
  const reps = Math.max(5, Math.min(frames, 30));
  const blender = new YuvBlender(W, H, { opacity: 0.4, outlines: false }, { matrix: 'bt601', range: 'limited' });
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) blender.blend(yuv, layers);
  return (performance.now() - t0) / reps;
}

function deflateTable(): BenchTable {
  const scan = Buffer.alloc((W + 1) * H);
  paintRle(encodeMask(objectBitmap(1, 0), H, W), scan, 255, W + 1, 1);
  const settings: [string, object][] = [
    ['level 1, Z_RLE (used)', { level: 1, strategy: constants.Z_RLE }],
    ['level 1', { level: 1 }],
    ['level 6 (zlib default)', { level: 6 }],
    ['level 9', { level: 9 }],
  ];
  return {
    title: `PNG deflate settings on one ${W}×${H} mask (filter 0)`,
    columns: ['setting', 'ms per mask', 'bytes'],
    rows: settings.map(([name, o]) => {
      const reps = 20;
      let bytes = 0;
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) bytes = deflateSync(scan, o).length;
      return [name, (performance.now() - t0) / reps, bytes];
    }),
  };
}

export const exportBench: BenchSuite = {
  name: 'export',
  summary: `overlay MP4 at ${W}×${H} vs a plain ffmpeg re-encode; PNG / palette / COCO / YOLO / MOTS frames per second`,
  async run(opts) {
    const frames = opts.quick ? 10 : 120;
    const { dir, clip } = await makeProject(opts, frames);

    const { baselineMs, overlay } = await timeOverlayAgainstFfmpeg(opts, dir, clip);
    const tables = [overlayTable(baselineMs, overlay, maskBlendMs(frames))];

    const rows: (string | number)[][] = [];
    for (const format of ['png', 'palette', 'coco', 'yolo', 'mots'] as const) {
      const out = join(opts.workDir, `out-${format}`);
      const r = await timeExport(dir, [format], out);
      const bytes = folderBytes(out);
      rows.push([format, r.frames / (r.ms / 1000), r.ms / r.frames, bytes / r.frames / 1024]);
    }
    tables.push({
      title: `Per-frame formats at ${W}×${H} (${frames} frames, ${OBJECTS} objects)`,
      columns: ['format', 'frames/s', 'ms per frame', 'KiB per frame'],
      rows,
      notes: [
        'png writes one file per object per frame; each run includes reading the masks from SQLite',
        "PNGs compress on libuv's thread pool, several at a time",
      ],
    });
    tables.push(deflateTable());
    return tables;
  },
};

function folderBytes(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((n, name) => n + folderBytes(join(path, name)), 0);
}
