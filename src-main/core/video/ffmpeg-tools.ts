// Which ffmpeg/ffprobe binaries we run, and why.
// Order: MASKLINE_FFMPEG / MASKLINE_FFPROBE → ffmpeg-static (ffmpeg only; its binary is
// downloaded by our postinstall and may be missing offline) → @ffmpeg-installer /
// @ffprobe-installer (binaries shipped inside npm packages) → the system PATH.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import type { ToolInfo } from '../../api/contract';
import { CodedError } from '../../api/errors';

// Not named `require`: electron-vite injects its own `require` shim into ESM chunks.
const requireFromHere = createRequire(import.meta.url);

type ToolName = 'ffmpeg' | 'ffprobe';
type Candidate = { path: string; source: ToolInfo['source'] };

function tryRequirePath(id: string, field?: string): string | null {
  try {
    const mod = requireFromHere(id);
    const p = field ? mod?.[field] : mod;
    return typeof p === 'string' && p.length > 0 ? p : null;
  } catch {
    return null;
  }
}

function onPath(name: string): string | null {
  const exe = process.platform === 'win32' ? `${name}.exe` : name;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, exe);
    if (existsSync(p)) return p;
  }
  return null;
}

export function toolCandidates(name: ToolName): Candidate[] {
  const out: Candidate[] = [];
  const env = name === 'ffmpeg' ? process.env.MASKLINE_FFMPEG : process.env.MASKLINE_FFPROBE;
  if (env) out.push({ path: env, source: 'env' });
  if (name === 'ffmpeg') {
    const p = tryRequirePath('ffmpeg-static');
    if (p) out.push({ path: p, source: 'ffmpeg-static' });
    const q = tryRequirePath('@ffmpeg-installer/ffmpeg', 'path');
    if (q) out.push({ path: q, source: 'ffmpeg-installer' });
  } else {
    const q = tryRequirePath('@ffprobe-installer/ffprobe', 'path');
    if (q) out.push({ path: q, source: 'ffmpeg-installer' });
  }
  const sys = onPath(name);
  if (sys) out.push({ path: sys, source: 'path' });
  return out;
}

/** First line of `-version`, or null when the binary does not run. */
function versionOf(path: string): string | null {
  if (!existsSync(path)) return null;
  const r = spawnSync(path, ['-version'], { encoding: 'utf8', timeout: 15_000 });
  if (r.status !== 0 || !r.stdout) return null;
  const first = r.stdout.split('\n')[0] ?? '';
  const m = /version\s+(\S+)/.exec(first);
  return m ? m[1]! : first.trim();
}

const cache = new Map<ToolName, ToolInfo | null>();

/** The binary used for `name`, or null when none of the candidates runs. Cached per process. */
export function resolveTool(name: ToolName): ToolInfo | null {
  if (cache.has(name)) return cache.get(name)!;
  let found: ToolInfo | null = null;
  for (const c of toolCandidates(name)) {
    const version = versionOf(c.path);
    if (version) {
      found = { path: c.path, source: c.source, version };
      break;
    }
  }
  cache.set(name, found);
  return found;
}

export class ToolMissingError extends CodedError<'FFMPEG_MISSING'> {
  constructor(name: ToolName) {
    super(
      'FFMPEG_MISSING',
      `${name} was not found. Install the npm dependencies again (npm install), install ${name} from your ` +
        `system's packages, or point MASKLINE_${name.toUpperCase()} at a binary.`,
    );
  }
}

export function requireTool(name: ToolName): ToolInfo {
  const t = resolveTool(name);
  if (!t) throw new ToolMissingError(name);
  return t;
}

/** For tests: forget cached lookups (e.g. after changing MASKLINE_FFMPEG). */
export function resetToolCache(): void {
  cache.clear();
}
