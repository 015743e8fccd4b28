// MOTS txt: `time_frame id class_id img_height img_width rle` per line, time_frame 1-based
// (frame f of the video is written f + 1, as in our export), rle the compressed COCO string.
// Each track id is an object; class 10 marks ignore regions and is skipped. Labels come from
// `mots-classes.txt` beside the file (`class_id label`, our export writes it), else the
// benchmark's own classes (1 car, 2 pedestrian) or "class N".
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { cocoRleToBitmap } from '../masks/coco-rle';
import { MOTS_CLASSES_FILE } from '../export/writers/mots-txt';
import { bitmapRle, checkFrame, checkSize } from './checks';
import type { ReadOptions } from './read-png-folder';
import { bad, type ReadResult, type VideoShape } from './types';

const MOTS_IGNORE_CLASS = 10;
const BENCHMARK_CLASSES: Record<number, string> = { 1: 'car', 2: 'pedestrian' };

async function classNames(file: string): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  let text: string;
  try {
    text = await readFile(join(dirname(file), MOTS_CLASSES_FILE), 'utf8');
  } catch {
    return names;
  }
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(\d+)\s+(.+?)\s*$/.exec(line);
    if (m) names.set(Number(m[1]), m[2]!);
  }
  return names;
}

export async function readMots(file: string, video: VideoShape, o: ReadOptions = {}): Promise<ReadResult> {
  const name = basename(file);
  const names = await classNames(file);
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/);
  const out: ReadResult = { objects: [], masks: [], unmatchedImages: [] };
  const seen = new Set<number>();
  for (const [ln, raw] of lines.entries()) {
    o.signal?.throwIfAborted();
    const line = raw.trim();
    if (!line) continue;
    const entry = `${name} line ${ln + 1}`;
    const f = line.split(/\s+/);
    if (f.length !== 6) throw bad(entry, `needs 6 fields (time_frame id class_id img_height img_width rle), has ${f.length}`);
    const [t, id, cls, h, w] = f.slice(0, 5).map(Number) as [number, number, number, number, number];
    if (![t, id, cls, h, w].every(Number.isInteger)) throw bad(entry, 'time_frame, id, class_id, img_height and img_width must be integers');
    if (cls === MOTS_IGNORE_CLASS) continue;
    const frame = checkFrame(entry, t - 1, video);
    checkSize(entry, w, h, video);
    let bitmap: Uint8Array;
    try {
      bitmap = cocoRleToBitmap({ size: [h, w], counts: f[5]! }).bitmap;
    } catch (err) {
      throw bad(entry, (err as Error).message);
    }
    const key = `mots:${id}`;
    if (!seen.has(id)) {
      seen.add(id);
      const label = names.get(cls) ?? BENCHMARK_CLASSES[cls] ?? `class ${cls}`;
      out.objects.push({ key, id: null, name: `${label} ${id}`, label });
    }
    out.masks.push({ key, frame, rle: bitmapRle(bitmap, video), entry });
    o.onFile?.(ln + 1, lines.length);
  }
  return out;
}
