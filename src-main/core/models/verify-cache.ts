// Remembers the result of hashing a pack, keyed by the size and mtime of each of its files, so a
// pack is hashed once and not on every start. Any change to a file's size or mtime invalidates it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** 2: a result also covers loading each graph's signature (results of version 1 only covered hashes) */
const CACHE_VERSION = 2;

export type Fingerprint = Record<string, [number, number]>;

interface Entry {
  fingerprint: Fingerprint;
  ok: boolean;
  problem: string | null;
}

/** size + mtime of each file (null if one is missing: such a pack is never cached as verified). */
export function fingerprintOf(dir: string, files: readonly string[]): Fingerprint | null {
  const fp: Fingerprint = {};
  for (const f of files) {
    const p = join(dir, f);
    if (!existsSync(p)) return null;
    const s = statSync(p);
    fp[f] = [s.size, s.mtimeMs];
  }
  return fp;
}

function same(a: Fingerprint, b: Fingerprint): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k]![0] === b[k]![0] && a[k]![1] === b[k]![1]);
}

export class VerifyCache {
  private entries: Record<string, Entry> = {};
  private dirty = false;

  /** `file` null: in memory only. An unreadable or foreign file starts an empty cache. */
  constructor(private readonly file: string | null) {
    if (!file || !existsSync(file)) return;
    try {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as { version?: number; packs?: Record<string, Entry> };
      if (raw.version === CACHE_VERSION && raw.packs && typeof raw.packs === 'object') this.entries = raw.packs;
    } catch {
      this.entries = {};
    }
  }

  get(dir: string, fp: Fingerprint): { ok: boolean; problem: string | null } | null {
    const e = this.entries[dir];
    return e && same(e.fingerprint, fp) ? { ok: e.ok, problem: e.problem } : null;
  }

  set(dir: string, fp: Fingerprint, ok: boolean, problem: string | null): void {
    this.entries[dir] = { fingerprint: fp, ok, problem };
    this.dirty = true;
  }

  /** Writes the cache if it changed; a read-only location only costs re-hashing next time. */
  async save(): Promise<void> {
    if (!this.file || !this.dirty) return;
    try {
      await mkdir(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp-${process.pid}`;
      await writeFile(tmp, JSON.stringify({ version: CACHE_VERSION, packs: this.entries }));
      await rename(tmp, this.file);
      this.dirty = false;
    } catch {
      // not fatal: the cache is an optimisation
    }
  }
}
