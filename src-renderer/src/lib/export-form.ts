// The export dialog's form → an ExportRequest, with the checks a person needs explained
// (the services validate again; these messages point at the field to fix).
import type { ExportFormat, ExportRequest } from '../../../src-main/api/contract';

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
}

export type ExportCheck = { ok: true; request: ExportRequest } | { ok: false; message: string };

export function validateExport(f: ExportForm, frames: number, allObjectIds: readonly number[]): ExportCheck {
  if (!f.formats.length) return { ok: false, message: 'Pick at least one format.' };
  const outDir = f.outDir.trim();
  if (!outDir) return { ok: false, message: 'Choose the folder to export to.' };
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
