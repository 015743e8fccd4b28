// The frame cache of one video: <cacheRoot>/<videoKey>/00000.jpg … plus manifest.json, written
// last by atomic rename. A folder without a valid manifest is NOT a cache (an interrupted
// extraction starts again); while this process extracts into it, frames that already exist
// on disk can be served (ffmpeg writes each JPEG atomically: temp file, then rename).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameCacheManifest } from './types';

export const MANIFEST_FILE = 'manifest.json';

/** Width of the zero-padded frame numbers: 5, more for videos of over 100,000 frames. */
export function frameDigits(frames: number): number {
  return Math.max(5, String(Math.max(0, frames - 1)).length);
}

export function frameFileName(i: number, digits = 5): string {
  return `${String(i).padStart(digits, '0')}.jpg`;
}

/** What an extraction running in this process tells the cache (see extract.ts). */
export interface LiveExtraction {
  digits: number;
  framesReady(): number;
}

const live = new Map<string, LiveExtraction>();

export function registerLiveExtraction(dir: string, x: LiveExtraction): () => void {
  live.set(dir, x);
  return () => {
    if (live.get(dir) === x) live.delete(dir);
  };
}

export function liveExtraction(dir: string): LiveExtraction | null {
  return live.get(dir) ?? null;
}

/** Parse and check a manifest's text against the expected key. Pure, table-tested. */
export function parseManifest(text: string, key: string): FrameCacheManifest | null {
  let m: FrameCacheManifest;
  try {
    m = JSON.parse(text);
  } catch {
    return null;
  }
  if (!m || m.format !== 'maskline-frames' || m.version !== 1 || m.key !== key) return null;
  if (!Number.isInteger(m.frames) || m.frames <= 0 || !Number.isInteger(m.digits) || m.digits < 5) return null;
  if (!m.probe || typeof m.probe !== 'object') return null;
  return m;
}

export class FrameCache {
  readonly dir: string;
  private manifestCache: FrameCacheManifest | null = null;

  constructor(
    readonly cacheRoot: string,
    readonly key: string,
  ) {
    if (!/^[0-9a-f]{16,64}$/.test(key)) throw new Error(`frame cache key must be a hex digest, got ${JSON.stringify(key)}`);
    this.dir = join(cacheRoot, key);
  }

  /**
   * The manifest when the cache is complete: valid JSON for this key, and its first and last
   * frames on disk (a cheap guard against a folder someone emptied by hand).
   */
  manifest(): FrameCacheManifest | null {
    if (this.manifestCache) return this.manifestCache;
    const file = join(this.dir, MANIFEST_FILE);
    if (!existsSync(file)) return null;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return null;
    }
    const m = parseManifest(text, this.key);
    if (!m) return null;
    if (!existsSync(join(this.dir, frameFileName(0, m.digits))) || !existsSync(join(this.dir, frameFileName(m.frames - 1, m.digits)))) return null;
    this.manifestCache = m;
    return m;
  }

  isComplete(): boolean {
    return this.manifest() !== null;
  }

  /** Frames 0..n-1 that can be read now: all of them when complete, the extracted ones while extracting, else 0. */
  framesReady(): number {
    const m = this.manifest();
    if (m) return m.frames;
    return liveExtraction(this.dir)?.framesReady() ?? 0;
  }

  /** Path of frame i's JPEG, or null when it is not (yet) available. */
  framePath(i: number): string | null {
    if (!Number.isInteger(i) || i < 0) return null;
    const m = this.manifest();
    if (m) return i < m.frames ? join(this.dir, frameFileName(i, m.digits)) : null;
    const x = liveExtraction(this.dir);
    if (!x) return null;
    return i < x.framesReady() ? join(this.dir, frameFileName(i, x.digits)) : null;
  }

  /** Forget the remembered manifest (after the folder was rebuilt). */
  invalidate(): void {
    this.manifestCache = null;
  }
}
