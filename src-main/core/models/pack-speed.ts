// Per-frame speed of each installed pack as measured on this machine: one tracked frame timed
// when the pack is first used (engine worker, core/sam2/frame-timing.ts), kept in a small JSON
// file next to the verify cache and keyed by the pack folder and the sizes/mtimes of its files,
// so a changed pack is measured again. One figure per provider (the CPU and a GPU differ by an
// order of magnitude): `get(dir)` answers the latest, `get(dir, provider)` that provider's.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { PackSpeed } from '../../api/contract';
import { fingerprintOf } from './verify-cache';

type Stored = Record<string, { fingerprint: Record<string, [number, number]>; speed: PackSpeed; byProvider?: Record<string, PackSpeed> }>;

function packFiles(dir: string): string[] {
  try {
    const raw = JSON.parse(readFileSync(`${dir}/model.json`, 'utf8')) as { files?: Record<string, unknown> };
    return ['model.json', ...Object.keys(raw.files ?? {}).filter((f) => f !== 'model.json')];
  } catch {
    return ['model.json'];
  }
}

export class PackSpeedStore {
  constructor(private readonly file: string) {}

  private read(): Stored {
    if (!existsSync(this.file)) return {};
    try {
      const v = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Stored) : {};
    } catch {
      return {}; // a damaged file only means measuring again
    }
  }

  /** The stored speed of the pack in `dir` (on `provider` when given), or null when never measured or the pack changed since. */
  get(dir: string, provider?: string): PackSpeed | null {
    const e = this.read()[dir];
    const fp = fingerprintOf(dir, packFiles(dir));
    if (!e || !fp || !sameFingerprint(fp, e.fingerprint)) return null;
    if (provider === undefined) return e.speed;
    return e.byProvider?.[provider] ?? (e.speed.provider === provider ? e.speed : null);
  }

  set(dir: string, speed: PackSpeed): void {
    const fp = fingerprintOf(dir, packFiles(dir));
    if (!fp) return;
    const all = this.read();
    const old = all[dir];
    // the other providers' figures stay while the pack is unchanged
    const byProvider = old && sameFingerprint(fp, old.fingerprint) ? { ...old.byProvider } : {};
    all[dir] = { fingerprint: fp, speed, byProvider: { ...byProvider, [speed.provider]: speed } };
    // write then rename: a crash never leaves half a file (this file is ours to replace)
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(all, null, 1));
    renameSync(tmp, this.file);
  }
}

function sameFingerprint(a: Record<string, [number, number]>, b: Record<string, [number, number]>): boolean {
  return Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([f, [s, m]]) => b[f]?.[0] === s && b[f]?.[1] === m);
}
