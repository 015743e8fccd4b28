// DAVIS-style palette PNGs, `<frame>.png`: each pixel's palette index is an object id
// (0 = background), the layout of DAVIS / YouTube-VOS annotations and of our palette export.
// Index n maps onto the project object with id n when there is one, else a new object.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bitmapRle, checkFrame, checkSize, frameOfName } from './checks';
import { listNames } from './inputs';
import { decodeOrFail, type ReadOptions } from './read-png-folder';
import { bad, type ReadResult, type VideoShape } from './types';

export async function readPaletteFolder(dir: string, video: VideoShape, o: ReadOptions = {}): Promise<ReadResult> {
  const out: ReadResult = { objects: [], masks: [], unmatchedImages: [] };
  const files = (await listNames(dir, 'file')).filter((n) => n.toLowerCase().endsWith('.png'));
  if (files.length === 0) throw bad(dir, 'holds no <frame>.png files');
  const seen = new Set<number>();
  for (const [i, name] of files.entries()) {
    o.signal?.throwIfAborted();
    const frame = frameOfName(name);
    if (frame === null) throw bad(name, 'the file name is not a frame number (expected e.g. 00012.png)');
    checkFrame(name, frame, video);
    const png = decodeOrFail(name, await readFile(join(dir, name)));
    checkSize(name, png.width, png.height, video);
    if (png.colorType !== 3) throw bad(name, 'is not an indexed-colour (palette) PNG; binary masks go in the png format');
    const ids = new Set<number>();
    for (const v of png.values) if (v) ids.add(v);
    for (const id of [...ids].sort((a, b) => a - b)) {
      const bitmap = new Uint8Array(png.values.length);
      for (let p = 0; p < bitmap.length; p++) if (png.values[p] === id) bitmap[p] = 1;
      if (!seen.has(id)) {
        seen.add(id);
        out.objects.push({ key: `palette:${id}`, id, name: null, label: null });
      }
      out.masks.push({ key: `palette:${id}`, frame, rle: bitmapRle(bitmap, video), entry: `${name} (index ${id})` });
    }
    o.onFile?.(i + 1, files.length);
  }
  out.objects.sort((a, b) => a.id! - b.id!);
  return out;
}
