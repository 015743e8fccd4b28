// Binary mask PNGs, `<object>/<frame>.png` (our PNG export's layout): each sub-folder is an
// object (a number maps onto the project object with that id, else it is a name), each file a
// frame; any non-zero pixel is foreground. All-black files (our export writes every frame) add
// nothing.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodePng } from '../masks/png-read';
import { anySet, bitmapRle, checkFrame, checkSize, frameOfName } from './checks';
import { listNames } from './inputs';
import { bad, type ReadResult, type VideoShape } from './types';

export interface ReadOptions {
  signal?: AbortSignal;
  onFile?: (done: number, total: number) => void;
}

export async function readPngFolder(dir: string, video: VideoShape, o: ReadOptions = {}): Promise<ReadResult> {
  const out: ReadResult = { objects: [], masks: [], unmatchedImages: [] };
  const folders = await listNames(dir, 'dir');
  if (folders.length === 0) throw bad(dir, 'holds no object folders (expected <object>/<frame>.png)');
  const files: { key: string; folder: string; name: string }[] = [];
  for (const folder of folders) {
    const key = `png:${folder}`;
    const id = /^\d+$/.test(folder) ? Number(folder) : null;
    out.objects.push({ key, id, name: id === null ? folder : null, label: null });
    for (const name of await listNames(join(dir, folder), 'file')) if (name.toLowerCase().endsWith('.png')) files.push({ key, folder, name });
  }
  for (const [i, f] of files.entries()) {
    o.signal?.throwIfAborted();
    const entry = join(f.folder, f.name);
    const frame = frameOfName(f.name);
    if (frame === null) throw bad(entry, 'the file name is not a frame number (expected e.g. 00012.png)');
    checkFrame(entry, frame, video);
    const bytes = await readFile(join(dir, f.folder, f.name));
    const png = decodeOrFail(entry, bytes);
    checkSize(entry, png.width, png.height, video);
    if (anySet(png.values)) out.masks.push({ key: f.key, frame, rle: bitmapRle(png.values, video), entry });
    o.onFile?.(i + 1, files.length);
  }
  return out;
}

export function decodeOrFail(entry: string, bytes: Uint8Array): ReturnType<typeof decodePng> {
  try {
    return decodePng(bytes);
  } catch (err) {
    throw bad(entry, (err as Error).message);
  }
}
