// Download a catalog pack: every file into a staging folder `<modelsDir>/.incoming-<id>-<rand>/`
// (kept on interruption, so a later call resumes), validate it with the engine's loader, then
// move it to `<modelsDir>/<id>/` atomically.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CatalogEntry } from './catalog';
import { downloadFile } from './download-file';
import { ModelsError, fromPackError, throwIfAborted } from './errors';
import { createStagingDir, findStagingDirs, installStaged } from './install';
import { RateMeter } from './rate-meter';
import { validatePackDir, type PackValidator, type ValidatedPack } from './validate';
import { PackError } from '../sam2/errors';
import { PACK_FORMAT_VERSION } from '../sam2/manifest';

export interface DownloadProgress {
  /** bytes of the whole pack on disk so far */
  bytes: number;
  total: number;
  /** bytes per second over the last seconds, null until measurable */
  rate: number | null;
  file: string;
  fileIndex: number;
  fileCount: number;
}

export interface DownloadPackOptions {
  modelsDir: string;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  retries?: number;
  backoffMs?: number;
  idleTimeoutMs?: number;
  /** defaults to the engine's loader + graph signature check */
  validate?: PackValidator;
}

export interface InstalledPack {
  id: string;
  dir: string;
  pack: ValidatedPack;
}

const STATE_FILE = '.download.json';
const active = new Set<string>();

/** What identifies "the same download" across app restarts: the files and their hashes. */
function fingerprint(entry: CatalogEntry): string {
  return JSON.stringify(entry.files.map((f) => [f.name, f.url, f.bytes, f.sha256]));
}

async function stagingFor(entry: CatalogEntry, modelsDir: string): Promise<string> {
  const want = fingerprint(entry);
  let reuse: string | null = null;
  for (const dir of await findStagingDirs(modelsDir, entry.id)) {
    const state = await readFile(join(dir, STATE_FILE), 'utf8').catch(() => '');
    if (!reuse && state === want) reuse = dir;
    else await rm(dir, { recursive: true, force: true }); // another catalog version's leftovers
  }
  if (reuse) return reuse;
  const dir = await createStagingDir(modelsDir, entry.id);
  await writeFile(join(dir, STATE_FILE), want);
  return dir;
}

/** Catalog hashes and model.json hashes must agree, or the pack would fail verification later. */
function crossCheck(entry: CatalogEntry, pack: ValidatedPack): void {
  for (const f of entry.files) {
    const listed = pack.files[f.name];
    if (listed && (listed.bytes !== f.bytes || listed.sha256 !== f.sha256)) {
      throw new ModelsError('SHA256_MISMATCH', `${f.name}: the catalog and the pack's model.json disagree on its size or sha256`, { file: f.name });
    }
  }
}

export async function downloadPack(entry: CatalogEntry, o: DownloadPackOptions): Promise<InstalledPack> {
  if (entry.formatVersion !== PACK_FORMAT_VERSION) {
    throw new ModelsError('PACK_FORMAT', `"${entry.name}" is pack format version ${entry.formatVersion}; this Maskline reads version ${PACK_FORMAT_VERSION}`);
  }
  if (!entry.available) throw new ModelsError('PACK_UNAVAILABLE', `"${entry.name}" cannot be downloaded: ${entry.reason ?? 'no files'}`);
  if (active.has(entry.id)) throw new ModelsError('BUSY', `"${entry.name}" is already being downloaded`);
  active.add(entry.id);
  try {
    const staging = await stagingFor(entry, o.modelsDir);
    const total = entry.files.reduce((a, f) => a + f.bytes, 0);
    const meter = new RateMeter();
    let before = 0;
    for (const [i, f] of entry.files.entries()) {
      throwIfAborted(o.signal, `download of "${entry.name}"`);
      try {
        await downloadFile({
          url: f.url,
          dest: join(staging, f.name),
          bytes: f.bytes,
          sha256: f.sha256,
          signal: o.signal,
          retries: o.retries,
          backoffMs: o.backoffMs,
          idleTimeoutMs: o.idleTimeoutMs,
          onBytes: (done) => {
            const bytes = before + done;
            o.onProgress?.({ bytes, total, rate: meter.sample(bytes), file: f.name, fileIndex: i, fileCount: entry.files.length });
          },
        });
      } catch (e) {
        // cancelled or unreachable: keep the staging folder so the next call resumes; the
        // server's content is wrong: drop it, there is nothing worth resuming
        if (e instanceof ModelsError && e.code !== 'CANCELLED' && e.code !== 'NETWORK') await rm(staging, { recursive: true, force: true });
        if (e instanceof ModelsError && (e.code === 'CANCELLED' || e.code === 'NETWORK')) e.details.staging = staging;
        throw e;
      }
      before += f.bytes;
    }
    let pack: ValidatedPack;
    try {
      // the files were hashed against the catalog while downloading; model.json must agree with it
      pack = await (o.validate ?? validatePackDir)(staging, { verifyHashes: false });
      crossCheck(entry, pack);
    } catch (e) {
      await rm(staging, { recursive: true, force: true });
      if (e instanceof PackError) throw fromPackError(e, `the downloaded pack "${entry.name}" is not valid`);
      throw e;
    }
    await rm(join(staging, STATE_FILE), { force: true });
    const dir = await installStaged(staging, o.modelsDir, entry.id);
    return { id: entry.id, dir, pack: { ...pack, dir } };
  } finally {
    active.delete(entry.id);
  }
}
