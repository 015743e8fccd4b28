// YOLO segmentation labels: a folder of `<frame>.txt`, one line per part,
// `class x1 y1 x2 y2 ...` normalised to 0..1, and `classes.txt` (one name per line) when known.
// YOLO has no instance identity across frames, so each class is one object (its parts on a
// frame OR-ed); the class name is its name and label. Polygons fill at pixel centres (even-odd).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fillPolygon } from '../../shared/raster';
import { bitmapRle, checkFrame, frameOfName } from './checks';
import { listNames } from './inputs';
import type { ReadOptions } from './read-png-folder';
import { bad, type ReadResult, type VideoShape } from './types';

export async function readYolo(dir: string, video: VideoShape, o: ReadOptions = {}): Promise<ReadResult> {
  const all = await listNames(dir, 'file');
  const classes = all.includes('classes.txt')
    ? (await readFile(join(dir, 'classes.txt'), 'utf8'))
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean)
    : null;
  const files = all.filter((n) => n.endsWith('.txt') && n !== 'classes.txt');
  if (files.length === 0) throw bad(dir, 'holds no <frame>.txt label files');
  const out: ReadResult = { objects: [], masks: [], unmatchedImages: [] };
  const seen = new Set<number>();
  for (const [i, name] of files.entries()) {
    o.signal?.throwIfAborted();
    const frame = frameOfName(name);
    if (frame === null) throw bad(name, 'the file name is not a frame number (expected e.g. 00012.txt)');
    checkFrame(name, frame, video);
    const byClass = new Map<number, Uint8Array>();
    const lines = (await readFile(join(dir, name), 'utf8')).split(/\r?\n/);
    for (const [ln, line] of lines.entries()) {
      if (!line.trim()) continue;
      const entry = `${name} line ${ln + 1}`;
      const parts = line.trim().split(/\s+/).map(Number);
      const cls = parts[0]!;
      if (!Number.isInteger(cls) || cls < 0) throw bad(entry, `class "${line.trim().split(/\s+/)[0]}" is not a class index`);
      if (classes && cls >= classes.length) throw bad(entry, `unknown category id ${cls} (classes.txt names ${classes.length})`);
      const coords = parts.slice(1);
      if (coords.length < 6 || coords.length % 2 !== 0 || coords.some((v) => !Number.isFinite(v))) throw bad(entry, 'needs at least 3 x y pairs of numbers');
      if (coords.some((v) => v < 0 || v > 1)) throw bad(entry, 'coordinates must be normalised to 0..1');
      const poly = coords.map((v, k) => v * (k % 2 === 0 ? video.width : video.height));
      let bitmap = byClass.get(cls);
      if (!bitmap) byClass.set(cls, (bitmap = new Uint8Array(video.width * video.height)));
      // each part filled on its own, OR-ed in: a part never cuts a hole in another
      const part = new Uint8Array(bitmap.length);
      fillPolygon({ mask: part, width: video.width, height: video.height }, poly, 1, 'even-odd');
      for (let p = 0; p < part.length; p++) bitmap[p] |= part[p]!;
    }
    for (const [cls, bitmap] of byClass) {
      if (!seen.has(cls)) {
        seen.add(cls);
        const n = classes?.[cls] ?? `class ${cls}`;
        out.objects.push({ key: `yolo:${cls}`, id: null, name: n, label: n });
      }
      out.masks.push({ key: `yolo:${cls}`, frame, rle: bitmapRle(bitmap, video), entry: `${name} (class ${cls})` });
    }
    o.onFile?.(i + 1, files.length);
  }
  return out;
}
