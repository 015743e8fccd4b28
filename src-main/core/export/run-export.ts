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
  const hasOverlay = plan.formats.includes('overlay');
  // The overlay and the per-frame formats run side by side; `done` counts the frames that every
  // requested format has finished, so "120 / 200 frames" means exactly that (never 400 / 400).
  const doneBy = { overlay: hasOverlay ? 0 : frames, masks: maskFormats.length ? 0 : frames };
  const report = (phase: ExportProgress['phase']) => opts.onProgress?.({ phase, done: Math.min(doneBy.overlay, doneBy.masks), total: frames, unit: 'frames' });

  const staging = await OutputStaging.open(plan.outDir, outputNames(plan.formats));
  const warnings: string[] = [];
  // one failing part stops the other: both see this signal
  const inner = new AbortController();
  const stop = () => inner.abort();
  signal?.addEventListener('abort', stop, { once: true });
  const innerOpts: RunExportOptions = { ...opts, signal: inner.signal };
  try {
    if (hasOverlay) {
      const { width, height } = source.video;
      const even = evenSize(width, height);
      if (even.padded) {
        warnings.push(
          `overlay: the video is ${width}×${height}; H.264 in yuv420p needs even sides, so the overlay is padded to ${even.w}×${even.h} (one black row/column at the bottom/right)`,
        );
      }
    }
    const parts: Promise<number>[] = [];
    if (hasOverlay) {
      parts.push(writeOverlay(source, plan, staging, innerOpts, (done) => ((doneBy.overlay = done), report('export'))).then(() => 1));
    }
    if (maskFormats.length) {
      parts.push(writeMaskFormats(source, plan, maskFormats, staging, innerOpts, warnings, (done) => ((doneBy.masks = done), report('export'))));
    }
    const settled = await Promise.all(parts.map((p) => p.catch((err: unknown) => (inner.abort(), Promise.reject(err))))).catch(async (err: unknown) => {
      // wait for the other part to stop before anything is removed
      await Promise.allSettled(parts);
      throw err;
    });
    const fileCount = settled.reduce((a, b) => a + b, 0);
    checkAbort(signal);
    const files = await staging.commit();
    warnings.push(...staging.warnings);
    report('finish');
    return { files, fileCount, warnings, frames, durationMs: Date.now() - started };
  } catch (err) {
    await staging.discard();
    if (signal?.aborted) throw new ExportError('CANCELLED', 'export cancelled');
    if (err instanceof ExportError) throw err;
    const where = (err as { path?: string }).path ?? staging.dir;
    throw destinationError(err, where) ?? new ExportError('EXPORT_FAILED', (err as Error).message);
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

async function writeOverlay(
  source: ExportSource,
  plan: ExportPlan,
  staging: OutputStaging,
  opts: RunExportOptions,
  progress: (done: number) => void,
): Promise<void> {
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
    if (!seen.has(o.id))
      warnings.push(
        `object ${o.id} (${o.name || 'unnamed'}) has no masks in frames ${plan.first}:${plan.last}: its PNGs are all black and the other formats have no entries for it`,
      );
  }
  return writers.reduce((n, w) => n + w.fileCount, 0);
}
