// better-sqlite3 is a native addon with one ABI per runtime. Under Node (tests, CLI, browser
// host) the build in node_modules is right; under Electron we must load the second build made
// by resources/scripts/rebuild-electron-sqlite.mjs, passed through better-sqlite3's
// `nativeBinding` option. No electron import: process.versions.electron tells us where we run.
import { existsSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreError } from './errors';

export const ELECTRON_BINDING_RELATIVE = join('.native', 'electron', 'better_sqlite3.node');

export type BindingChoice = { kind: 'default' } | { kind: 'file'; path: string } | { kind: 'missing'; searched: string[] };

/**
 * Which addon to load. Pure: the runtime, the candidate folders and an existence check are
 * passed in. MASKLINE_SQLITE_BINDING (an explicit file) wins under any runtime.
 */
export function chooseNativeBinding(input: {
  electronVersion: string | undefined;
  envOverride: string | undefined;
  searchRoots: string[];
  exists: (path: string) => boolean;
}): BindingChoice {
  if (input.envOverride)
    return input.exists(input.envOverride) ? { kind: 'file', path: input.envOverride } : { kind: 'missing', searched: [input.envOverride] };
  if (!input.electronVersion) return { kind: 'default' };
  const searched = input.searchRoots.map((r) => join(r, ELECTRON_BINDING_RELATIVE));
  const found = searched.find((p) => input.exists(p));
  return found ? { kind: 'file', path: found } : { kind: 'missing', searched };
}

/** Folders that may hold `.native/`: every parent of this module (dev and built layouts), the cwd, and Electron's resources. */
function searchRoots(): string[] {
  const roots: string[] = [];
  let dir = dirname(fileURLToPath(import.meta.url));
  const top = parse(dir).root;
  while (dir !== top) {
    roots.push(dir);
    dir = dirname(dir);
  }
  roots.push(process.cwd());
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) roots.push(resources);
  return [...new Set(roots)];
}

/** The `nativeBinding` option for `new Database(...)`: undefined means better-sqlite3's own build. */
export function nativeBindingOption(): string | undefined {
  const choice = chooseNativeBinding({
    electronVersion: process.versions.electron,
    envOverride: process.env.MASKLINE_SQLITE_BINDING,
    searchRoots: searchRoots(),
    exists: existsSync,
  });
  if (choice.kind === 'default') return undefined;
  if (choice.kind === 'file') return choice.path;
  throw new StoreError(
    'NATIVE_BINDING_MISSING',
    `The SQLite addon built for Electron was not found (looked in ${choice.searched.join(', ')}). ` +
      'Run `node resources/scripts/rebuild-electron-sqlite.mjs` (needs internet once) and start the app again.',
    { searched: choice.searched },
  );
}
