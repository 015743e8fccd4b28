// Where packs live: MASKLINE_MODELS (explicit folders, searched first), the user data folder
// (where downloads and imports are installed), and the repository's models/ in development.
import { delimiter, join, resolve } from 'node:path';

export type PackOrigin = 'env' | 'user' | 'repo';

export interface ModelsFolder {
  path: string;
  origin: PackOrigin;
}

export interface ModelsFolderOptions {
  /** the app's user data folder (Electron's userData, or the host's data dir) */
  userDataDir: string;
  /** the repository root when running from a checkout (development), else null */
  repoRoot?: string | null;
  env?: Record<string, string | undefined>;
}

/** Folders to search, in order, without duplicates. */
export function modelsFolders(o: ModelsFolderOptions): ModelsFolder[] {
  const out: ModelsFolder[] = [];
  const add = (path: string, origin: PackOrigin) => {
    const p = resolve(path);
    if (!out.some((f) => f.path === p)) out.push({ path: p, origin });
  };
  const env = o.env ?? process.env;
  for (const p of (env.MASKLINE_MODELS ?? '').split(delimiter)) if (p.trim()) add(p.trim(), 'env');
  add(installFolder(o.userDataDir), 'user');
  if (o.repoRoot) add(join(o.repoRoot, 'models'), 'repo');
  return out;
}

/** Downloads and imports go here. */
export function installFolder(userDataDir: string): string {
  return resolve(userDataDir, 'models');
}
