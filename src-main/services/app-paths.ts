// Where the app finds things that ship with it: the repository root when running from a
// checkout (development: its models/ folder is searched for packs), and the bundled catalog.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
