// Where the app finds things that ship with it: the repository root when running from a
// checkout (development: its models/ folder is searched for packs), and the bundled catalog.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout this module runs from (a maskline package.json next to src-main/), or null when packaged. */
export function detectRepoRoot(from = dirname(fileURLToPath(import.meta.url))): string | null {
  for (let d = from, i = 0; i < 8; i++, d = dirname(d)) {
    const pkg = join(d, 'package.json');
    if (existsSync(pkg) && existsSync(join(d, 'src-main'))) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'maskline') return d;
      } catch {
        return null;
      }
    }
    if (dirname(d) === d) break;
  }
  return null;
}

/** Catalog files in the order they are merged: the shipped models/catalog.json, then MASKLINE_CATALOG. */
export function catalogPaths(repoRoot: string | null, env: Record<string, string | undefined>, delimiter: string): string[] {
  const out: string[] = [];
  const shipped = repoRoot ? join(repoRoot, 'models', 'catalog.json') : null;
  if (shipped && existsSync(shipped)) out.push(shipped);
  for (const p of (env.MASKLINE_CATALOG ?? '').split(delimiter)) if (p.trim()) out.push(p.trim());
  return out;
}

/**
 * The data folder (projects, frame caches, uploads, model packs) shared by the Electron app, the
 * browser host and the CLI: MASKLINE_DATA_DIR, else where Electron's app.getPath('userData')
 * points for an app named "maskline".
 */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (env.MASKLINE_DATA_DIR) return resolve(env.MASKLINE_DATA_DIR);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'maskline');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'maskline');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'maskline');
}
