// Label models (CLIP folders in the transformers.js layout) beside the SAM packs: where they live
// (`<data dir>/label-models/<id>/`), listing, import (validated, then copied through a staging
// folder like packs) and which one is active with which variant (`active.json` in that folder).
// The CLIP format itself is core/labels'.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile, rename } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { ClipModel, graphPath, LabelsError, readClipFolder, type ClipVariant } from '../labels';
import { ModelsError, throwIfAborted } from './errors';
import { sanitizeId, uniqueId } from './ids';
import { createStagingDir, installStaged } from './install';
import { installedByApp, recordInstall } from './label-model-install';

export function labelModelsFolder(userDataDir: string): string {
  return resolve(userDataDir, 'label-models');
}

export interface LabelModelInfo {
  id: string;
  dir: string;
  name: string;
  variants: ClipVariant[];
  /** bytes of each variant's two graphs (with external data), as the Models screen shows them */
  variantBytes: Partial<Record<ClipVariant, number>>;
  /** the app copied it here (import): the app may remove it; a folder put here by hand it may not */
  installedByApp: boolean;
  /** why it cannot be used, or null */
  problem: string | null;
}

/** One variant's files, relative to the folder: both towers' graphs and their external-data files. */
function variantFiles(dir: string, variant: ClipVariant): string[] {
  const onnx = join(dir, 'onnx');
  const names = existsSync(onnx) ? readdirSync(onnx) : [];
  const out: string[] = [];
  for (const tower of ['vision', 'text'] as const) {
    const base = basename(graphPath(dir, tower, variant));
    for (const n of names) if (n === base || n.startsWith(`${base}_data`) || n.startsWith(`${base}.data`)) out.push(`onnx/${n}`);
  }
  return out;
}

function variantSize(dir: string, variant: ClipVariant): number {
  return variantFiles(dir, variant).reduce((a, f) => a + statSync(join(dir, f)).size, 0);
}

/** Files of a CLIP folder that are copied on import (those present). */
const TOP_FILES = ['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.json', 'merges.txt'];

export function listLabelModels(folder: string): LabelModelInfo[] {
  if (!existsSync(folder)) return [];
  const out: LabelModelInfo[] = [];
  for (const id of readdirSync(folder).sort()) {
    const dir = join(folder, id);
    if (id.startsWith('.') || !statSync(dir).isDirectory()) continue;
    try {
      const f = readClipFolder(dir);
      out.push({ id, dir, name: f.name, variants: f.variants, variantBytes: Object.fromEntries(f.variants.map((v) => [v, variantSize(dir, v)])), installedByApp: installedByApp(dir), problem: null });
    } catch (e) {
      out.push({ id, dir, name: id, variants: [], variantBytes: {}, installedByApp: installedByApp(dir), problem: (e as Error).message });
    }
  }
  return out;
}

/**
 * Full check of a CLIP folder: every variant present is opened (graph signatures, tokenizer,
 * both towers' embedding sizes agree). Throws the first problem as a ModelsError.
 */
export async function validateClipFolder(dir: string): Promise<{ variants: ClipVariant[]; dim: number }> {
  let variants: ClipVariant[];
  try {
    variants = readClipFolder(dir).variants;
  } catch (e) {
    throw asModelsError(e, dir);
  }
  let dim = 0;
  for (const v of variants) {
    try {
      const m = await ClipModel.open(dir, { variant: v, threads: 1 });
      dim = m.dim;
      await m.dispose();
    } catch (e) {
      throw asModelsError(e, dir);
    }
  }
  return { variants, dim };
}

function asModelsError(e: unknown, dir: string): unknown {
  if (e instanceof LabelsError) return new ModelsError('PACK_FORMAT', `${dir} is not a usable CLIP folder: ${e.message}`, e.details.file ? { file: e.details.file } : {});
  return e;
}

/** Relative paths to copy: the JSON/tokenizer files present and every variant's two graphs (+ external data). */
function filesToCopy(src: string, variants: readonly ClipVariant[]): string[] {
  return [...TOP_FILES.filter((f) => existsSync(join(src, f))), ...variants.flatMap((v) => variantFiles(src, v))];
}

export interface ImportLabelModelOptions {
  folder: string;
  signal?: AbortSignal;
  onProgress?: (p: { bytes: number; total: number; file: string }) => void;
}

export async function importLabelModel(srcDir: string, o: ImportLabelModelOptions): Promise<LabelModelInfo> {
  if (!isAbsolute(srcDir)) throw new ModelsError('IMPORT_SOURCE', `cannot import ${srcDir}: the path must be absolute`);
  const src = resolve(srcDir);
  if (!existsSync(src) || !statSync(src).isDirectory()) throw new ModelsError('IMPORT_SOURCE', `cannot import ${srcDir}: not a folder`);
  const folder = resolve(o.folder);
  const rel = relative(folder, src);
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) throw new ModelsError('IMPORT_SOURCE', `${src} is inside the label models folder ${folder}; it is listed there already`);
  const { variants } = await validateClipFolder(src);
  throwIfAborted(o.signal, `import of ${src}`);
  const taken = new Set(existsSync(folder) ? readdirSync(folder) : []);
  const id = uniqueId(sanitizeId(basename(src)), taken);
  const files = filesToCopy(src, variants);
  const staging = await createStagingDir(folder, id);
  try {
    const total = files.reduce((a, f) => a + statSync(join(src, f)).size, 0);
    let bytes = 0;
    for (const f of files) {
      throwIfAborted(o.signal, `import of ${src}`);
      await mkdir(dirname(join(staging, f)), { recursive: true });
      await copyFile(join(src, f), join(staging, f));
      bytes += statSync(join(src, f)).size;
      o.onProgress?.({ bytes, total, file: f });
    }
    readClipFolder(staging);
    await recordInstall(staging);
    const dir = await installStaged(staging, folder, id);
    return listLabelModels(folder).find((m) => m.id === id) ?? { id, dir, name: readClipFolder(dir).name, variants, variantBytes: {}, installedByApp: true, problem: null };
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    if (o.signal?.aborted) throw new ModelsError('CANCELLED', `the import of ${src} was cancelled`);
    throw asModelsError(e, src);
  }
}

export interface ActiveLabelModel {
  id: string;
  variant: ClipVariant;
}

const ACTIVE_FILE = 'active.json';

export async function readActiveLabelModel(folder: string): Promise<ActiveLabelModel | null> {
  try {
    const v = JSON.parse(await readFile(join(folder, ACTIVE_FILE), 'utf8')) as Partial<ActiveLabelModel>;
    if (typeof v.id === 'string' && (v.variant === 'fp32' || v.variant === 'fp16' || v.variant === 'quantized')) return { id: v.id, variant: v.variant };
  } catch {
    // none chosen yet
  }
  return null;
}

/** Writes active.json atomically (temp file + rename): the app wrote it, so replacing it is ours to do. */
export async function writeActiveLabelModel(folder: string, a: ActiveLabelModel): Promise<void> {
  await mkdir(folder, { recursive: true });
  const tmp = join(folder, `.${ACTIVE_FILE}.tmp`);
  await writeFile(tmp, JSON.stringify(a));
  await rename(tmp, join(folder, ACTIVE_FILE));
}

/** No model chosen any more (the last one was removed): active.json is the app's own file. */
export async function clearActiveLabelModel(folder: string): Promise<void> {
  await rm(join(folder, ACTIVE_FILE), { force: true });
}
