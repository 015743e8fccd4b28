// The export job: plan, stage, write every requested format, then rename everything into place.
// Usable from the job registry (signal + progress), the CLI and tests alike.
import type { ExportRequest } from '../../api/contract';
import { buildClassTable } from './classes';
import { ExportFrame } from './export-frame';
import { evenSize } from './overlay-args';
import { encodeOverlay, type SpawnFn } from './overlay-encode';
import { probeOverlaySource } from './overlay-probe';
import { nodeOutputFs, type OutputFs } from './output-fs';
import { planExport, type ExportPlan } from './plan';
import { destinationError, OutputStaging } from './staging';
import { ExportError, OUTPUT_NAMES, outputNames, type ExportProgress, type ExportResult, type ExportSource } from './types';
import { createCocoWriter } from './writers/coco-json';
import { createMaskPngWriter } from './writers/mask-pngs';
import { createMotsWriter } from './writers/mots-txt';
import { createPalettePngWriter } from './writers/palette-pngs';
import type { FormatWriter, WriterContext } from './writers/writer';
import { createYoloWriter } from './writers/yolo-txt';

export interface RunExportOptions {
  signal?: AbortSignal;
  onProgress?(p: ExportProgress): void;
  /** where our own files are written (tests put a failing disk here) */
  fs?: OutputFs;
  /** how the overlay's ffmpeg processes start (tests wrap it) */
  spawnProcess?: SpawnFn;
}

const WRITERS = {
  png: createMaskPngWriter,
  palette: createPalettePngWriter,
  coco: createCocoWriter,
  yolo: createYoloWriter,
  mots: createMotsWriter,
} as const;

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw new ExportError('CANCELLED', 'export cancelled');
}

export async function runExport(source: ExportSource, request: ExportRequest, opts: RunExportOptions = {}): Promise<ExportResult> {
  const started = Date.now();
  const plan = planExport(source.video, source.objects, request);
  const { signal } = opts;
  checkAbort(signal);
  const frames = plan.last - plan.first + 1;
  const maskFormats = plan.formats.filter((f): f is keyof typeof WRITERS => f !== 'overlay');
  const phases = (plan.formats.includes('overlay') ? 1 : 0) + (maskFormats.length ? 1 : 0);
  const report = (phase: ExportProgress['phase'], done: number) =>
    opts.onProgress?.({ phase, done, total: frames * phases, unit: 'frames' });

  const staging = await OutputStaging.open(plan.outDir, outputNames(plan.formats));
  const warnings: string[] = [];
  let fileCount = 0;
  try {
    let offset = 0;
    if (plan.formats.includes('overlay')) {
      const { width, height } = source.video;
      const even = evenSize(width, height);
      if (even.padded) {
        warnings.push(`overlay: the video is ${width}×${height}; H.264 in yuv420p needs even sides, so the overlay is padded to ${even.w}×${even.h} (one black row/column at the bottom/right)`);
      }
      await writeOverlay(source, plan, staging, opts, (done) => report('overlay', done));
      fileCount++;
      offset = frames;
    }
    if (maskFormats.length) {
      fileCount += await writeMaskFormats(source, plan, maskFormats, staging, opts, warnings, (done) => report('masks', offset + done));
    }
    checkAbort(signal);
    const files = await staging.commit();
    warnings.push(...staging.warnings);
    report('finish', frames * phases);
    return { files, fileCount, warnings, frames, durationMs: Date.now() - started };
  } catch (err) {
    await staging.discard();
    if (signal?.aborted) throw new ExportError('CANCELLED', 'export cancelled');
    if (err instanceof ExportError) throw err;
    const where = (err as { path?: string }).path ?? staging.dir;
    throw destinationError(err, where) ?? new ExportError('EXPORT_FAILED', (err as Error).message);
  }
}

async function writeOverlay(source: ExportSource, plan: ExportPlan, staging: OutputStaging, opts: RunExportOptions, progress: (done: number) => void): Promise<void> {
  const exported = new Set(plan.objects.map((o) => o.id));
  const info = await probeOverlaySource(source.video, opts.signal);
  await encodeOverlay({
    source: info,
    range: { first: plan.first, last: plan.last, total: source.video.frames },
    outFile: staging.file(OUTPUT_NAMES.overlay),
    layersAt(frame) {
      const f = new ExportFrame(frame, source.video.width, source.video.height, source.masksAt(frame), exported);
      return f.masks.map((m) => ({ rle: m.rle, color: plan.overlay.colors.get(m.objectId)! }));
    },
    style: plan.overlay,
    signal: opts.signal,
    onFrame: progress,
    spawnProcess: opts.spawnProcess,
  });
}

async function writeMaskFormats(
  source: ExportSource,
  plan: ExportPlan,
  formats: (keyof typeof WRITERS)[],
  staging: OutputStaging,
  opts: RunExportOptions,
  warnings: string[],
  progress: (done: number) => void,
): Promise<number> {
  const ctx: WriterContext = { plan, source, staging, fs: opts.fs ?? nodeOutputFs, classes: buildClassTable(source.objects, source.labelSet) };
  const writers: FormatWriter[] = [];
  const exported = new Set(plan.objects.map((o) => o.id));
  const seen = new Set<number>();
  try {
    for (const f of formats) writers.push(await WRITERS[f](ctx));
    for (let frame = plan.first; frame <= plan.last; frame++) {
      checkAbort(opts.signal);
      const f = new ExportFrame(frame, source.video.width, source.video.height, source.masksAt(frame), exported);
      for (const m of f.masks) seen.add(m.objectId);
      for (const w of writers) await w.frame(f);
      progress(frame - plan.first + 1);
    }
    for (const w of writers) await w.finish();
  } catch (err) {
    await Promise.all(writers.map((w) => w.abort().catch(() => {})));
    throw err;
  }
  for (const o of plan.objects) {
    if (!seen.has(o.id)) warnings.push(`object ${o.id} (${o.name || 'unnamed'}) has no masks in frames ${plan.first}:${plan.last}: its PNGs are all black and the other formats have no entries for it`);
  }
  return writers.reduce((n, w) => n + w.fileCount, 0);
}
