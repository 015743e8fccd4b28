// COCO instance JSON: our export and pycocotools-style files from other tools. Segmentation as
// RLE (compressed string or uncompressed counts, column-major as pycocotools) or polygons
// (filled at pixel centres, each part even-odd, parts OR-ed). Images are matched to frames by
// `frame_index`, else by the number at the end of `file_name` (`00012.jpg`, `frame_12.png`);
// images that match no frame are reported and their annotations skipped. Objects: the
// annotation's `object_id` (ours), `track_id` or `instance_id`; without one, one object per
// category. Category names become labels; our export's `objects` list gives names.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { cocoRleToBitmap } from '../masks/coco-rle';
import { fillPolygon } from '../../shared/raster';
import { bitmapRle, checkFrame, checkSize } from './checks';
import { bad, type ReadResult, type SourceObject, type VideoShape } from './types';
import type { ReadOptions } from './read-png-folder';

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function frameOfImage(img: Json, video: VideoShape, entry: string): number | null {
  const fi = num(img.frame_index);
  if (fi !== null) return checkFrame(entry, fi, video);
  const name = typeof img.file_name === 'string' ? basename(img.file_name) : '';
  const m = /(\d+)\.[A-Za-z0-9]+$/.exec(name);
  if (!m) return null;
  const f = Number(m[1]);
  return f < video.frames ? f : null;
}

export async function readCoco(file: string, video: VideoShape, o: ReadOptions = {}): Promise<ReadResult> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw bad(basename(file), `is not valid JSON (${(err as Error).message})`);
  }
  if (!isObj(doc) || !Array.isArray(doc.images) || !Array.isArray(doc.annotations))
    throw bad(basename(file), 'is not a COCO file (needs "images" and "annotations" lists)');
  const categories = new Map<number, string>();
  for (const c of Array.isArray(doc.categories) ? doc.categories : [])
    if (isObj(c) && num(c.id) !== null) categories.set(c.id as number, String(c.name ?? c.id));
  const names = new Map<number, string>();
  for (const ob of Array.isArray(doc.objects) ? doc.objects : [])
    if (isObj(ob) && num(ob.id) !== null && typeof ob.name === 'string') names.set(ob.id as number, ob.name);

  const out: ReadResult = { objects: [], masks: [], unmatchedImages: [] };
  const frames = new Map<number, number | null>();
  for (const [i, img] of doc.images.entries()) {
    if (!isObj(img) || num(img.id) === null) throw bad(`images[${i}]`, 'has no numeric id');
    const entry = `images[${i}] (${String(img.file_name ?? img.id)})`;
    if (num(img.width) !== null && num(img.height) !== null) checkSize(entry, img.width as number, img.height as number, video);
    const f = frameOfImage(img, video, entry);
    frames.set(img.id as number, f);
    if (f === null) out.unmatchedImages.push(String(img.file_name ?? `image ${img.id}`));
  }

  const objects = new Map<string, SourceObject>();
  const merged = new Map<string, { key: string; frame: number; bitmap: Uint8Array; entry: string }>();
  for (const [i, a] of doc.annotations.entries()) {
    o.signal?.throwIfAborted();
    if (!isObj(a)) throw bad(`annotations[${i}]`, 'is not an object');
    const entry = `annotations[${i}] (id ${String(a.id ?? '?')})`;
    const imageId = num(a.image_id);
    if (imageId === null || !frames.has(imageId)) throw bad(entry, `image_id ${String(a.image_id)} is not in images`);
    const frame = frames.get(imageId)!;
    if (frame === null) continue;
    const cat = num(a.category_id);
    if (a.category_id !== undefined && (cat === null || !categories.has(cat))) throw bad(entry, `unknown category id ${String(a.category_id)}`);
    const label = cat === null ? null : categories.get(cat)!;
    const ident = num(a.object_id) ?? num(a.track_id) ?? num(a.instance_id);
    const key = ident !== null ? `coco:${ident}` : `coco-category:${cat ?? 0}`;
    if (!objects.has(key)) objects.set(key, { key, id: ident, name: ident !== null ? (names.get(ident) ?? null) : label, label });
    const bitmap = segmentationBitmap(a.segmentation, video, entry);
    const cell = `${key}@${frame}`;
    const prev = merged.get(cell);
    if (prev) for (let p = 0; p < bitmap.length; p++) prev.bitmap[p] |= bitmap[p]!;
    else merged.set(cell, { key, frame, bitmap, entry });
    o.onFile?.(i + 1, doc.annotations.length);
  }
  out.objects = [...objects.values()];
  for (const m of merged.values()) out.masks.push({ key: m.key, frame: m.frame, rle: bitmapRle(m.bitmap, video), entry: m.entry });
  return out;
}

function segmentationBitmap(seg: unknown, video: VideoShape, entry: string): Uint8Array {
  if (isObj(seg)) {
    const size = seg.size;
    if (!Array.isArray(size) || size.length !== 2 || !(typeof seg.counts === 'string' || Array.isArray(seg.counts)))
      throw bad(entry, 'segmentation RLE needs "size" [h, w] and "counts"');
    checkSize(entry, Number(size[1]), Number(size[0]), video);
    try {
      return cocoRleToBitmap({ size: [Number(size[0]), Number(size[1])], counts: seg.counts as string | number[] }).bitmap;
    } catch (err) {
      throw bad(entry, (err as Error).message);
    }
  }
  if (Array.isArray(seg)) {
    const bitmap = new Uint8Array(video.width * video.height);
    for (const [k, poly] of seg.entries()) {
      if (!Array.isArray(poly) || poly.length % 2 !== 0 || poly.some((v) => typeof v !== 'number' || !Number.isFinite(v)))
        throw bad(entry, `segmentation polygon ${k} must be an even-length list of numbers`);
      fillPolygon({ mask: bitmap, width: video.width, height: video.height }, poly as number[], 1, 'even-odd');
    }
    return bitmap;
  }
  throw bad(entry, 'has no segmentation (RLE or polygons)');
}
