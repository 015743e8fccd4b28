// Installed packs: every pack folder in the models folders, described for the models screen
// (name, size, image size, verified, problem). Verification is the hashes plus opening each graph
// once and checking its signature (a pack whose hashes match but whose graphs do not load is
// broken, with the reason, and never picked); its result is cached by each file's size + mtime.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ModelPackInfo } from '../../api/contract';
import { PackError } from '../sam2/errors';
import { loadPack } from '../sam2/pack';
import { ModelsError, throwIfAborted } from './errors';
import { familyInfo, familyOfFormat } from './families';
import { uniqueId } from './ids';
import type { ModelsFolder, PackOrigin } from './paths';
import { validatePackDir } from './validate';
import { VerifyCache, fingerprintOf } from './verify-cache';

export interface InstalledPackInfo extends ModelPackInfo {
  origin: PackOrigin;
}

export interface ListPacksOptions {
  /** where hash results are remembered (null: in memory only, i.e. hash on every call) */
  cacheFile?: string | null;
  /** hash packs without a cached result (default true); false: they are listed as not verified */
  hash?: boolean;
  signal?: AbortSignal;
}

function readRaw(dir: string): Record<string, unknown> | null {
  try {
    const raw = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as unknown;
    return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Why a pack cannot be used, in one line: the engine's PackError as it is, a graph that onnxruntime cannot open named as such. */
export function packProblem(e: unknown): string {
  if (e instanceof PackError) return e.message;
  const message = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300);
  return `a graph cannot be loaded: ${message}`;
}

async function describe(dir: string, id: string, origin: PackOrigin, cache: VerifyCache, hash: boolean, signal?: AbortSignal): Promise<InstalledPackInfo> {
  const raw = readRaw(dir);
  const files = raw?.files && typeof raw.files === 'object' ? Object.keys(raw.files as object) : [];
  // the pack's size on disk: model.json and every file it lists
  const bytes = ['model.json', ...files.filter((f) => f !== 'model.json')].reduce((a, f) => a + (existsSync(join(dir, f)) ? statSync(join(dir, f)).size : 0), 0);
  const info: InstalledPackInfo = {
    id,
    name: typeof raw?.name === 'string' && raw.name ? raw.name : id,
    dir,
    bytes,
    imageSize: typeof raw?.image_size === 'number' ? raw.image_size : 0,
    verified: false,
    problem: null,
    family: ((f) => (f ? familyInfo(f) : null))(familyOfFormat(raw?.format)),
    speed: null,
    origin,
  };
  try {
    await loadPack(dir, { verifyHashes: false });
  } catch (e) {
    return { ...info, problem: e instanceof Error ? e.message : String(e) };
  }
  const fp = fingerprintOf(dir, ['model.json', ...files.filter((f) => f !== 'model.json')]);
  const cached = fp && cache.get(dir, fp);
  if (cached) return { ...info, verified: cached.ok, problem: cached.problem };
  if (!hash || !fp) return info;
  try {
    await validatePackDir(dir, { verifyHashes: true, checkGraphs: true });
    cache.set(dir, fp, true, null);
    return { ...info, verified: true };
  } catch (e) {
    throwIfAborted(signal, 'listing model packs');
    const problem = packProblem(e);
    cache.set(dir, fp, false, problem);
    return { ...info, problem };
  }
}

/** Pack folders directly inside `folder` (or `folder` itself when it holds a model.json). */
async function packDirs(folder: string): Promise<string[]> {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return [];
  if (existsSync(join(folder, 'model.json'))) return [folder];
  const out: string[] = [];
  for (const name of (await readdir(folder)).sort()) {
    if (name.startsWith('.')) continue; // staging, replaced and cache files
    const dir = join(folder, name);
    if (statSync(dir).isDirectory() && existsSync(join(dir, 'model.json'))) out.push(dir);
  }
  return out;
}

export async function listPacks(folders: readonly ModelsFolder[], o: ListPacksOptions = {}): Promise<InstalledPackInfo[]> {
  const cache = new VerifyCache(o.cacheFile ?? null);
  const taken = new Set<string>();
  const out: InstalledPackInfo[] = [];
  for (const folder of folders) {
    for (const dir of await packDirs(folder.path)) {
      throwIfAborted(o.signal, 'listing model packs');
      const id = uniqueId(basename(dir), taken);
      taken.add(id);
      out.push(await describe(dir, id, folder.origin, cache, o.hash !== false, o.signal));
    }
  }
  await cache.save();
  return out;
}

export function findInstalled(list: readonly InstalledPackInfo[], id: string): InstalledPackInfo {
  const p = list.find((x) => x.id === id);
  if (!p) throw new ModelsError('CATALOG_UNKNOWN_ID', `no installed model pack with id "${id}" (installed: ${list.map((x) => x.id).join(', ') || 'none'})`);
  return p;
}
