// Where a format's annotations are under the path the user gave: the file or folder itself, or
// an export folder holding it under the name `maskline export` writes (masks/, palette/,
// coco.json, yolo/, mots.txt), so an export folder can be imported as it is.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { OUTPUT_NAMES } from '../export/types';
import { ImportError, type ImportFormat } from './types';

const WANTS_FOLDER: Record<ImportFormat, boolean> = { png: true, palette: true, coco: false, yolo: true, mots: false };

async function kind(p: string): Promise<'file' | 'dir' | null> {
  try {
    const s = await stat(p);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : null;
  } catch {
    return null;
  }
}

export async function locateInput(path: string, format: ImportFormat): Promise<string> {
  const k = await kind(path);
  if (!k) throw new ImportError('FILE_NOT_FOUND', `${path} does not exist`);
  const folder = WANTS_FOLDER[format];
  if (k === 'dir') {
    const inner = join(path, OUTPUT_NAMES[format]);
    if ((await kind(inner)) === (folder ? 'dir' : 'file')) return inner;
    if (folder) return path;
    throw new ImportError('FILE_NOT_FOUND', `${path} is a folder without ${OUTPUT_NAMES[format]}; give the ${format} file itself`);
  }
  if (folder) throw new ImportError('IMPORT_BAD_INPUT', `${path} is a file; ${format} annotations are a folder`);
  return path;
}

/** A folder's entries sorted by name (files or folders). */
export async function listNames(dir: string, want: 'file' | 'dir'): Promise<string[]> {
  const list = await readdir(dir, { withFileTypes: true });
  return list
    .filter((e) => (want === 'dir' ? e.isDirectory() : e.isFile()))
    .map((e) => e.name)
    .sort();
}
