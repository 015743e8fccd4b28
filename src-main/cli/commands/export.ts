// `maskline export`: a project's masks out in any of the export formats. The flag parsing and
// the console runner here are shared with `maskline run`.
import type { CliCommand } from '../command';
import { UsageError } from '../args';
import type { ExportFormat, ExportRequest } from '../../api/contract';
import { openProjectStore } from '../../core/store';
import { FORMATS, runExport, storeExportSource, type ExportProgress, type ExportResult } from '../../core/export';

export const EXPORT_FLAGS = {
  format: { type: 'string', required: true, help: `comma-separated: ${FORMATS.join(',')}` },
  out: { type: 'path', required: true, help: 'output folder (created when missing); docs/export.md lists the names inside' },
  frames: { type: 'string', help: 'A:B, first and last frame to export (0-based, inclusive; default all)' },
  objects: { type: 'string', help: 'comma-separated object ids (default all)' },
  'skip-empty': { type: 'switch', help: 'png: no file for a frame where the object has no mask (default: an all-black PNG for every frame)' },
} as const;

export function parseFormats(value: string): ExportFormat[] {
  const parts = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new UsageError(`--format needs at least one of ${FORMATS.join(',')}`);
  const unknown = parts.filter((p) => !FORMATS.includes(p as ExportFormat));
  if (unknown.length) throw new UsageError(`--format: unknown format ${unknown.map((u) => `"${u}"`).join(', ')} (known: ${FORMATS.join(',')})`);
  return [...new Set(parts)] as ExportFormat[];
}

/** `A:B`, both inclusive 0-based frame indices. */
export function parseFrameRange(value: string): [number, number] {
  const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(value);
  if (!m) throw new UsageError(`--frames must look like A:B (first and last frame, 0-based, inclusive), got "${value}"`);
  const [a, b] = [Number(m[1]), Number(m[2])];
  if (b < a) throw new UsageError(`--frames ${value}: the last frame comes before the first`);
  return [a, b];
}

export function parseObjectIds(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1)) throw new UsageError(`--objects must be object ids like 1,2 (positive integers), got "${value}"`);
  return [...new Set(parts.map(Number))];
}

export function exportRequestFromFlags(flags: Record<string, unknown>): ExportRequest {
  // --out is a 'path' flag: already resolved against the shell's folder (the API takes absolute paths only)
  const req: ExportRequest = { formats: parseFormats(String(flags.format)), outDir: String(flags.out) };
  if (typeof flags.frames === 'string') req.frames = parseFrameRange(flags.frames);
  if (typeof flags.objects === 'string') req.objectIds = parseObjectIds(flags.objects);
  if (flags['skip-empty'] === true) req.png = { skipEmpty: true };
  return req;
}

export interface ProgressLine {
  phase: string;
  done: number;
  total: number;
  unit: string;
}

/** One line per phase change or every `everyMs`, never one per frame. */
export function progressPrinter(write: (line: string) => void, everyMs = 2000, now = () => Date.now()): (p: ProgressLine) => void {
  let lastPhase = '';
  let lastAt = -Infinity;
  return (p) => {
    const t = now();
    if (p.phase === lastPhase && p.done !== p.total && t - lastAt < everyMs) return;
    lastPhase = p.phase;
    lastAt = t;
    write(`${p.phase}: ${p.done}/${p.total} ${p.unit} (${Math.floor((100 * p.done) / Math.max(1, p.total))} %)`);
  };
}

/** Runs an export with Ctrl-C as cancel and progress on stderr, then prints what was written. */
export async function exportWithConsole(run: (signal: AbortSignal, onProgress: (p: ExportProgress) => void) => Promise<ExportResult>): Promise<ExportResult> {
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    const result = await run(
      ac.signal,
      progressPrinter((line) => console.error(line)),
    );
    for (const w of result.warnings) console.error(`warning: ${w}`);
    console.log(`exported ${result.frames} frames in ${(result.durationMs / 1000).toFixed(1)} s (${result.fileCount} files):`);
    for (const f of result.files) console.log(`  ${f}`);
    return result;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'Export the masks of a project: overlay MP4, PNG masks, DAVIS palette, COCO, YOLO-seg, MOTS',
  flags: {
    project: { type: 'path', required: true, help: 'project folder (the one holding project.sqlite)' },
    ...EXPORT_FLAGS,
  },
  async run(flags) {
    const request = exportRequestFromFlags(flags);
    const store = openProjectStore(String(flags.project), { create: false });
    try {
      const source = storeExportSource(store);
      await exportWithConsole((signal, onProgress) => runExport(source, request, { signal, onProgress }));
      return 0;
    } finally {
      store.close();
    }
  },
};
