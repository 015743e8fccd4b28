// The export dialog's form → an ExportRequest, with the checks a person needs explained
// (the services validate again; these messages point at the field to fix).
import type { ExportFormat, ExportRequest } from '$api/contract';
import { isAbsolutePath } from '$api/validate';

export const EXPORT_FORMATS: readonly { id: ExportFormat; name: string; what: string }[] = [
  { id: 'overlay', name: 'Overlay video', what: 'MP4 of the video with the masks drawn on it' },
  { id: 'png', name: 'PNG masks', what: 'one black/white PNG per object and frame' },
  { id: 'palette', name: 'Palette PNG', what: 'one indexed PNG per frame, pixel value = object (DAVIS style)' },
  { id: 'coco', name: 'COCO', what: 'instances JSON with RLE segmentations' },
  { id: 'yolo', name: 'YOLO', what: 'segmentation polygons, one text file per frame' },
  { id: 'mots', name: 'MOTS', what: 'MOTS challenge text format' },
];

export interface ExportForm {
  formats: ExportFormat[];
  from: number;
  to: number;
  objectIds: number[];
  perObjectColors: boolean;
  outlines: boolean;
  opacity: number;
  outDir: string;
  /** binary PNGs: no file for frames where the object is absent */
  skipEmpty: boolean;
}

/** The CLI's overlay: one green at 40 % (docs/export.md); per-object colours are one click away. */
export const DEFAULT_EXPORT_LOOK = { perObjectColors: false, outlines: false, opacity: 0.4 } as const;

/** Where the user's own folders are (app.info), to resolve `~` and relative entries against. */
export interface UserFolders {
  homeDir: string;
  documentsDir: string;
}

function sepOf(base: string): string {
  return base.includes('\\') && !base.includes('/') ? '\\' : '/';
}

function rootOf(p: string): string {
  return /^[A-Za-z]:[\\/]/.test(p) ? p.slice(0, 3) : p.startsWith('\\\\') ? '\\\\' : '/';
}

/** `base` + `rel` with `.` and `..` folded (never above the root of `base`). */
export function joinPath(base: string, rel: string): string {
  const sep = sepOf(base);
  const root = rootOf(base);
  const parts: string[] = [];
  for (const part of `${base.slice(root.length)}/${rel}`.split(/[\\/]+/)) {
    if (!part || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return root.replace(/[\\/]$/, sep) + parts.join(sep);
}

/**
 * The full folder an entry of the destination field means, shown before exporting: absolute as
 * typed (tidied), `~/…` under the home folder, anything else under Documents. Never the
 * services' working directory (the API refuses relative paths anyway).
 */
export function resolveDestination(input: string, folders: UserFolders | null): { ok: true; path: string } | { ok: false; message: string } {
  const raw = input.trim();
  if (!raw) return { ok: false, message: 'Choose the folder to export to.' };
  if (isAbsolutePath(raw)) return { ok: true, path: joinPath(rootOf(raw), raw.slice(rootOf(raw).length)) };
  if (!folders) return { ok: false, message: 'Type the full path of the folder (starting with / or a drive letter).' };
  if (raw === '~') return { ok: true, path: folders.homeDir };
  if (raw.startsWith('~/') || raw.startsWith('~\\')) return { ok: true, path: joinPath(folders.homeDir, raw.slice(2)) };
  return { ok: true, path: joinPath(folders.documentsDir, raw) };
}

/** The dialog's default destination: Documents/Maskline exports/<video name without extension>. */
export function defaultExportDir(folders: UserFolders, videoName: string): string {
  const stem =
    videoName
      .replace(/\.[^.\\/]*$/, '')
      .replace(/[\\/:*?"<>|]+/g, '_')
      .trim() || 'video';
  return joinPath(folders.documentsDir, `Maskline exports/${stem}`);
}

export type ExportCheck = { ok: true; request: ExportRequest } | { ok: false; message: string };

export function validateExport(f: ExportForm, frames: number, allObjectIds: readonly number[], folders: UserFolders | null = null): ExportCheck {
  if (!f.formats.length) return { ok: false, message: 'Pick at least one format.' };
  const dest = resolveDestination(f.outDir, folders);
  if (!dest.ok) return dest;
  const outDir = dest.path;
  const last = frames - 1;
  if (!Number.isInteger(f.from) || !Number.isInteger(f.to)) return { ok: false, message: 'The frame range must be whole frame numbers.' };
  if (f.from < 0 || f.to > last) return { ok: false, message: `The frame range must lie within 0–${last}.` };
  if (f.from > f.to) return { ok: false, message: `The first frame (${f.from}) is after the last (${f.to}).` };
  const known = new Set(allObjectIds);
  const ids = f.objectIds.filter((id) => known.has(id));
  if (!ids.length) return { ok: false, message: 'Pick at least one object.' };
  const request: ExportRequest = { formats: [...f.formats], outDir };
  if (f.from !== 0 || f.to !== last) request.frames = [f.from, f.to];
  if (ids.length !== known.size) request.objectIds = ids;
  if (f.formats.includes('overlay')) {
    request.overlay = { perObjectColors: f.perObjectColors, outlines: f.outlines, opacity: Math.min(1, Math.max(0, f.opacity)) };
  }
  if (f.formats.includes('png') && f.skipEmpty) request.png = { skipEmpty: true };
  return { ok: true, request };
}

export interface ExportResultInfo {
  outDir: string;
  warnings: string[];
  /** files written, when the job says */
  fileCount: number | null;
}

/** A finished export job's `result`, read defensively (it crosses the API as unknown JSON). */
export function exportResultInfo(result: unknown, fallbackDir: string): ExportResultInfo {
  const r = (result && typeof result === 'object' ? result : {}) as Record<string, unknown>;
  const dir = [r.outDir, r.dir, r.folder].find((v): v is string => typeof v === 'string' && v.length > 0);
  const warnings = Array.isArray(r.warnings) ? r.warnings.filter((w): w is string => typeof w === 'string') : [];
  const fileCount = typeof r.fileCount === 'number' && Number.isFinite(r.fileCount) ? r.fileCount : null;
  return { outDir: dir ?? fallbackDir, warnings, fileCount };
}
