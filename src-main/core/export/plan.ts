// Turns an `ExportRequest` into a checked plan before anything is written: every problem with
// the request is reported up front, naming the option and what is wrong.
import { isAbsolute } from 'node:path';
import type { ExportFormat, ExportRequest } from '../../api/contract';
import { buildMotsIds } from './classes';
import { ExportError, FORMATS, type ExportObject, type ExportVideo } from './types';

export type Rgb = [number, number, number];

export interface OverlayStyle {
  opacity: number;
  outlines: boolean;
  /** colour per exported object id: one green for all by default, the object's own with perObjectColors */
  colors: Map<number, Rgb>;
}

export interface ExportPlan {
  formats: ExportFormat[];
  outDir: string;
  /** inclusive frame range */
  first: number;
  last: number;
  /** exported objects, ascending id */
  objects: ExportObject[];
  overlay: OverlayStyle;
  /** binary PNGs: no file where the object has no mask */
  skipEmptyPngs: boolean;
}

/** The seed tutorial's overlay: one green at 40 % opacity. */
export const DEFAULT_OVERLAY_COLOR: Rgb = [0, 255, 0];
export const DEFAULT_OVERLAY_OPACITY = 0.4;
/** DAVIS label maps are 8-bit: pixel value = object id. */
export const MAX_PALETTE_OBJECT_ID = 255;

function bad(message: string): never {
  throw new ExportError('EXPORT_BAD_REQUEST', message);
}

export function parseHexColor(color: string): Rgb | null {
  const m = /^#?([0-9a-f]{6})$/i.exec(color.trim());
  if (!m) return null;
  const v = parseInt(m[1]!, 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

export function planExport(video: ExportVideo, allObjects: readonly ExportObject[], req: ExportRequest): ExportPlan {
  if (!Array.isArray(req.formats) || req.formats.length === 0) bad('formats: choose at least one of ' + FORMATS.join(', '));
  for (const f of req.formats) if (!FORMATS.includes(f)) bad(`formats: unknown format "${f}" (known: ${FORMATS.join(', ')})`);
  const formats = FORMATS.filter((f) => req.formats.includes(f));

  if (typeof req.outDir !== 'string' || req.outDir.trim() === '') bad('outDir: an output folder is required');
  // a relative folder would land wherever this process happens to run (the app's install folder)
  if (!isAbsolute(req.outDir)) bad(`outDir: must be an absolute path (got ${JSON.stringify(req.outDir)})`);
  if (!(video.frames >= 1) || !(video.width >= 1) || !(video.height >= 1)) {
    bad(`the video reports ${video.frames} frames of ${video.width}×${video.height}: nothing to export`);
  }

  let first = 0;
  let last = video.frames - 1;
  if (req.frames !== undefined) {
    const [a, b] = Array.isArray(req.frames) ? req.frames : [];
    if (!Number.isInteger(a) || !Number.isInteger(b) || req.frames.length !== 2) bad('frames: expected [first, last] as integers');
    if (a! < 0 || b! < a! || b! > video.frames - 1) {
      bad(`frames: ${a}:${b} is not a range inside the video's frames 0:${video.frames - 1}`);
    }
    first = a!;
    last = b!;
  }

  if (allObjects.length === 0) bad('the project has no objects to export');
  let objects = [...allObjects].sort((x, y) => x.id - y.id);
  if (req.objectIds !== undefined) {
    if (!Array.isArray(req.objectIds) || req.objectIds.length === 0) bad('objectIds: choose at least one object');
    const unknown = req.objectIds.filter((id) => !allObjects.some((o) => o.id === id));
    if (unknown.length) bad(`objectIds: no object with id ${unknown.join(', ')} (the project has ${objects.map((o) => o.id).join(', ')})`);
    objects = objects.filter((o) => req.objectIds!.includes(o.id));
  }

  if (formats.includes('palette')) {
    const big = objects.filter((o) => o.id > MAX_PALETTE_OBJECT_ID || o.id < 1);
    if (big.length) {
      bad(`palette: object ids must be 1..${MAX_PALETTE_OBJECT_ID} to be 8-bit pixel values; got ${big.map((o) => o.id).join(', ')}`);
    }
  }
  if (formats.includes('mots')) {
    try {
      buildMotsIds(allObjects);
    } catch (err) {
      bad(`mots: ${(err as Error).message}`);
    }
  }

  const o = req.overlay ?? {};
  const opacity = o.opacity ?? DEFAULT_OVERLAY_OPACITY;
  if (typeof opacity !== 'number' || !(opacity >= 0 && opacity <= 1)) bad(`overlay.opacity: expected 0..1, got ${opacity}`);
  const colors = new Map<number, Rgb>();
  for (const obj of objects) {
    if (!o.perObjectColors) {
      colors.set(obj.id, DEFAULT_OVERLAY_COLOR);
      continue;
    }
    const rgb = parseHexColor(obj.color);
    if (!rgb) bad(`overlay: object ${obj.id} (${obj.name}) has colour "${obj.color}", expected #rrggbb`);
    colors.set(obj.id, rgb);
  }

  return {
    formats,
    outDir: req.outDir,
    first,
    last,
    objects,
    overlay: { opacity, outlines: o.outlines === true, colors },
    skipEmptyPngs: req.png?.skipEmpty === true,
  };
}
