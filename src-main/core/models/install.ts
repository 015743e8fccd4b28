// Staging folders and the atomic move of a finished pack to `<modelsDir>/<id>/`. A pack appears
// under its final name only complete and validated; an older pack of the same id is replaced
// only after the new one is in place, and restored if the swap fails.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelsError } from './errors';

export const INCOMING_PREFIX = '.incoming-';
const REPLACED_PREFIX = '.replaced-';

function rand(): string {
  return randomBytes(4).toString('hex');
}

export async function createStagingDir(modelsDir: string, id: string): Promise<string> {
  await mkdir(modelsDir, { recursive: true });
  const dir = join(modelsDir, `${INCOMING_PREFIX}${id}-${rand()}`);
  await mkdir(dir);
  return dir;
}

/** Staging folders left for `id` by earlier attempts, newest name order not guaranteed. */
export async function findStagingDirs(modelsDir: string, id: string): Promise<string[]> {
  if (!existsSync(modelsDir)) return [];
  const names = await readdir(modelsDir);
  const re = new RegExp(`^${INCOMING_PREFIX.replace('.', '\\.')}${id.replace(/[.]/g, '\\.')}-[0-9a-f]{8}$`);
  return names.filter((n) => re.test(n)).map((n) => join(modelsDir, n));
}

/** Moves `staging` to `<modelsDir>/<id>`; returns the final folder. */
export async function installStaged(staging: string, modelsDir: string, id: string): Promise<string> {
  const finalDir = join(modelsDir, id);
  if (!existsSync(finalDir)) {
    try {
      await rename(staging, finalDir);
    } catch (e) {
      throw new ModelsError('INSTALL', `cannot move the new pack into ${finalDir}: ${(e as Error).message}`);
    }
    return finalDir;
  }
  const old = join(modelsDir, `${REPLACED_PREFIX}${id}-${rand()}`);
  try {
    await rename(finalDir, old);
  } catch (e) {
    throw new ModelsError('INSTALL', `cannot move the old pack ${finalDir} aside (is it in use?): ${(e as Error).message}`);
  }
  try {
    await rename(staging, finalDir);
  } catch (e) {
    await rename(old, finalDir).catch(() => undefined);
    throw new ModelsError('INSTALL', `cannot move the new pack into ${finalDir}; the old one was kept: ${(e as Error).message}`);
  }
  // files of the old pack may still be open (a loaded engine on Windows): leave them for later
  await rm(old, { recursive: true, force: true }).catch(() => undefined);
  return finalDir;
}

/** Removes leftovers of interrupted replacements (never staging folders: those resume). */
export async function removeReplacedLeftovers(modelsDir: string): Promise<void> {
  if (!existsSync(modelsDir)) return;
  for (const n of await readdir(modelsDir)) {
    if (n.startsWith(REPLACED_PREFIX)) await rm(join(modelsDir, n), { recursive: true, force: true }).catch(() => undefined);
  }
}
