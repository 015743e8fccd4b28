// Which label-model folders the app installed, and removing one. An import records every file it
// copied (size and mtime) in `.maskline-install.json`, with the export's manifest code
// (core/export/manifest); a remove deletes a folder only when that record is there and every
// entry in the folder is listed in it, unchanged. A folder copied in by hand, or one where
// someone added or edited a file, is refused with the names: files are the user's unless we
// wrote them.
import { existsSync, readdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { foreignEntries, listNames, readManifest, stampOutput, walkOutput, writeManifest, type FoundEntry, type Manifest, type ManifestKind } from '../export/manifest';
import { ModelsError } from './errors';

export const LABEL_MODEL_MANIFEST: ManifestKind = {
  name: '.maskline-install.json',
  format: 'maskline-label-model/1',
  note: 'files Maskline copied when it imported this label model; removing it from the app deletes only these',
};

/** Records the files now in `dir` (a staging folder, before it is moved into place) as ours. */
export async function recordInstall(dir: string): Promise<void> {
  const m: Manifest = new Map();
  for (const name of readdirSync(dir)) for (const [k, v] of await stampOutput(dir, name)) m.set(k, v);
  await writeManifest(dir, m, randomBytes(4).toString('hex'), LABEL_MODEL_MANIFEST);
}

/** Whether the app installed `dir` (its install record is there). */
export function installedByApp(dir: string): boolean {
  return existsSync(join(dir, LABEL_MODEL_MANIFEST.name));
}

/** Every entry of `dir` but the install record itself. */
async function entriesOf(dir: string): Promise<FoundEntry[]> {
  const out: FoundEntry[] = [];
  for (const name of readdirSync(dir)) if (name !== LABEL_MODEL_MANIFEST.name) out.push(...(await walkOutput(dir, name)));
  return out;
}

/**
 * Deletes the label model `id` of `folder` when the app installed it and nothing in it changed;
 * else LABEL_MODEL_FOREIGN naming what is not ours (nothing is deleted then).
 */
export async function removeLabelModel(folder: string, id: string): Promise<void> {
  const dir = join(folder, id);
  if (!/^[^./\\][^/\\]*$/.test(id) || !existsSync(dir)) throw new ModelsError('LABEL_MODEL_NOT_FOUND', `there is no label model "${id}" in ${folder}`);
  const manifest = installedByApp(dir) ? await readManifest(dir, LABEL_MODEL_MANIFEST) : null;
  if (!manifest) {
    throw new ModelsError('LABEL_MODEL_FOREIGN', `${dir} was not installed by Maskline (it has no install record): it was left as it is; remove it yourself if you no longer need it`, { file: dir });
  }
  const foreign = foreignEntries(await entriesOf(dir), manifest);
  if (foreign.length) {
    throw new ModelsError('LABEL_MODEL_FOREIGN', `${dir} holds files Maskline did not install or that changed since (${listNames(foreign)}): nothing was removed`, { file: dir });
  }
  // out of the listing first, so a half-deleted folder is never offered as a model
  const trash = join(folder, `.removing-${id}-${randomBytes(4).toString('hex')}`);
  await rename(dir, trash);
  await rm(trash, { recursive: true, force: true });
}
