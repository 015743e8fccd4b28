// Import a pack folder (e.g. what the exporter wrote): validate it with the engine's loader,
// copy the files its model.json lists into a staging folder (hashing while copying), then move
// it to `<modelsDir>/<id>/`. A folder that is not a valid pack is refused with the loader's
// message and nothing is written.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { ModelsError, fromPackError, throwIfAborted } from './errors';
import { packIdFromManifest, uniqueId } from './ids';
import { createStagingDir, installStaged } from './install';
import type { InstalledPack } from './download';
import { validatePackDir, type PackValidator } from './validate';
import { PackError } from '../sam2/errors';

export interface ImportPackOptions {
  modelsDir: string;
  signal?: AbortSignal;
  /** bytes copied so far of the total */
  onProgress?: (p: { bytes: number; total: number; file: string }) => void;
  validate?: PackValidator;
}

function inside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function copyHashed(src: string, dest: string, signal: AbortSignal | undefined, onChunk: (n: number) => void): Promise<string> {
  const h = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      h.update(chunk);
      onChunk(chunk.length);
      cb(null, chunk);
    },
  });
  await pipeline(createReadStream(src), tap, createWriteStream(dest, { flags: 'wx' }), { signal });
  return h.digest('hex');
}

/** The installed pack with an identical model.json (which pins every other file by sha256), if any:
 * importing the same folder twice is a no-op. */
async function sameInstalled(modelsDir: string, manifestText: string): Promise<string | null> {
  if (!existsSync(modelsDir)) return null;
  for (const name of await readdir(modelsDir)) {
    if (name.startsWith('.')) continue;
    const other = await readFile(join(modelsDir, name, 'model.json'), 'utf8').catch(() => null);
    if (other === manifestText) return name;
  }
  return null;
}

/** A name model.json may list under "files": a plain file in the pack, or one in its variants/ folder. Pure. */
export function isPackFileName(n: string): boolean {
  return /^(variants\/)?[^/\\.][^/\\]*$/.test(n);
}

export async function importPack(srcDir: string, o: ImportPackOptions): Promise<InstalledPack & { alreadyInstalled: boolean }> {
  const src = resolve(srcDir);
  const what = `import of ${src}`;
  if (!existsSync(src) || !statSync(src).isDirectory()) {
    throw new ModelsError('IMPORT_SOURCE', `cannot import ${srcDir}: not a folder`);
  }
  const validate = o.validate ?? validatePackDir;
  let pack;
  try {
    pack = await validate(src, { verifyHashes: true });
  } catch (e) {
    if (e instanceof PackError) throw fromPackError(e, `${src} is not a valid model pack`);
    throw e;
  }
  throwIfAborted(o.signal, what);
  const modelsDir = resolve(o.modelsDir);
  const manifestText = await readFile(join(src, 'model.json'), 'utf8');
  const existing = await sameInstalled(modelsDir, manifestText);
  if (existing) return { id: existing, dir: join(modelsDir, existing), pack: { ...pack, dir: join(modelsDir, existing) }, alreadyInstalled: true };
  if (inside(src, modelsDir)) throw new ModelsError('IMPORT_SOURCE', `${src} is inside the models folder ${modelsDir}; it is listed there already`);

  const raw = JSON.parse(manifestText) as Record<string, unknown>;
  const taken = new Set(existsSync(modelsDir) ? (await readdir(modelsDir)).filter((n) => !n.startsWith('.')) : []);
  const id = uniqueId(packIdFromManifest(raw, basename(src)), taken);
  const names = ['model.json', ...Object.keys(pack.files).filter((n) => n !== 'model.json')];
  const unsafe = names.find((n) => !isPackFileName(n));
  if (unsafe !== undefined) {
    // copying it would write outside the pack folder
    throw new ModelsError('MANIFEST_INVALID', `model.json in ${src} lists "${unsafe}" under "files"; only plain file names inside the pack (or in its variants/ folder) are allowed`, { file: 'model.json' });
  }
  const staging = await createStagingDir(modelsDir, id);
  try {
    const total = names.reduce((a, n) => a + statSync(join(src, n)).size, 0);
    let bytes = 0;
    for (const n of names) {
      throwIfAborted(o.signal, what);
      // the exporter's other attention graph lives in variants/ (docs/gpu.md)
      if (n.includes('/')) await mkdir(join(staging, dirname(n)), { recursive: true });
      const sha = await copyHashed(join(src, n), join(staging, n), o.signal, (k) => {
        bytes += k;
        o.onProgress?.({ bytes, total, file: n });
      });
      const listed = pack.files[n];
      if (listed && sha !== listed.sha256) {
        throw new ModelsError('SHA256_MISMATCH', `${n} changed while it was being copied from ${src}`, { file: n });
      }
    }
    // structure of the copy (sizes, params); hashes were checked while copying
    await validate(staging, { verifyHashes: false, checkGraphs: false });
    const dir = await installStaged(staging, modelsDir, id);
    return { id, dir, pack: { ...pack, dir }, alreadyInstalled: false };
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    if (o.signal?.aborted) throw new ModelsError('CANCELLED', `${what} was cancelled`);
    if (e instanceof PackError) throw fromPackError(e, `the copy of ${src} is not valid`);
    throw e;
  }
}
