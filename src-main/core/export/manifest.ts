// What an export may replace: only what an earlier export wrote itself. Every export records
// the files it wrote (relative path, size, mtime) in `.maskline-export.json` in the output
// folder; before anything is written, every output name that already exists is walked and
// each entry is checked against that record. A file that is not listed, or that changed since
// (another size or mtime: someone edited it), a symlink, or a folder that holds nothing of ours
// is "foreign": the export refuses up front and names them all (docs/export.md).
import { lstat, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const MANIFEST_NAME = '.maskline-export.json';

/** Which record: an export's (the default), or another folder the app writes whole (a label model's install). */
export interface ManifestKind {
  name: string;
  format: string;
  note: string;
}

export const EXPORT_MANIFEST: ManifestKind = {
  name: MANIFEST_NAME,
  format: 'maskline-export/1',
  note: 'files written by Maskline exports; a later export replaces only these',
};

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** relative path ('/'-separated) → stamp of the file as the export left it */
export type Manifest = Map<string, FileStamp>;

/** One entry found on disk under an output name. */
export interface FoundEntry {
  /** relative to the output folder, '/'-separated */
  path: string;
  kind: 'file' | 'dir' | 'other';
  size: number;
  mtimeMs: number;
}

/**
 * Which of the entries found under the output names are not ours. Pure: the decision the whole
 * "never overwrite what we did not write" rule rests on. A folder is ours only when some file
 * we wrote lies inside it (an empty folder the user made is theirs).
 */
export function foreignEntries(found: readonly FoundEntry[], manifest: Manifest): string[] {
  const foreign: string[] = [];
  for (const e of found) {
    if (e.kind === 'dir') {
      const prefix = `${e.path}/`;
      if (![...manifest.keys()].some((k) => k.startsWith(prefix))) foreign.push(`${e.path}/`);
      continue;
    }
    const stamp = manifest.get(e.path);
    if (e.kind !== 'file' || !stamp || stamp.size !== e.size || Math.abs(stamp.mtimeMs - e.mtimeMs) > 1) foreign.push(e.path);
  }
  return foreign;
}

/** Every entry at and below `name` in `dir` (lstat: a symlink is reported, never followed). */
export async function walkOutput(dir: string, name: string): Promise<FoundEntry[]> {
  const st = await lstat(join(dir, name)).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (!st) return [];
  const kind = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
  const out: FoundEntry[] = [{ path: name, kind, size: st.size, mtimeMs: st.mtimeMs }];
  if (kind === 'dir') {
    for (const child of await readdir(join(dir, name))) out.push(...(await walkOutput(dir, `${name}/${child}`)));
  }
  return out;
}

/**
 * The manifest of `dir`: empty when there is none; null when a file of that name exists but is
 * not one of ours (then the manifest's own name counts as foreign).
 */
export async function readManifest(dir: string, kind: ManifestKind = EXPORT_MANIFEST): Promise<Manifest | null> {
  let text: string;
  try {
    text = await readFile(join(dir, kind.name), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw err;
  }
  try {
    const data = JSON.parse(text) as { format?: unknown; files?: unknown };
    if (data.format !== kind.format || !data.files || typeof data.files !== 'object') return null;
    const m: Manifest = new Map();
    for (const [k, v] of Object.entries(data.files as Record<string, FileStamp>)) {
      if (typeof v?.size === 'number' && typeof v?.mtimeMs === 'number') m.set(k, { size: v.size, mtimeMs: v.mtimeMs });
    }
    return m;
  } catch {
    return null;
  }
}

/** Writes the manifest atomically (temporary + rename), so a crash leaves the old or the new one. */
export async function writeManifest(dir: string, manifest: Manifest, tag: string, kind: ManifestKind = EXPORT_MANIFEST): Promise<void> {
  const files = Object.fromEntries([...manifest.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const temp = join(dir, `${kind.name}.tmp-${tag}`);
  await writeFile(temp, JSON.stringify({ format: kind.format, note: kind.note, files }, null, 1));
  await rename(temp, join(dir, kind.name));
}

/** Stamps of the files now on disk at and below `name`. */
export async function stampOutput(dir: string, name: string): Promise<Manifest> {
  const m: Manifest = new Map();
  for (const e of await walkOutput(dir, name)) if (e.kind === 'file') m.set(e.path, { size: e.size, mtimeMs: e.mtimeMs });
  return m;
}

/** "a, b, c and 12 more": a refusal names what is in the way without flooding the screen. */
export function listNames(names: readonly string[], max = 8): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
