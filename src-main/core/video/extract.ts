// Extract every decoded frame of a video into its frame cache as numbered JPEGs.
// ffmpeg does all the work in its own process (no per-frame JS); we only read its progress
// reports, and the manifest is written last, so a cancelled or failed run never looks complete.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheWriteError, cancelledError, VideoError } from './errors';
import { runFfmpeg } from './ffmpeg';
import { passthroughSyncArgs } from './ffmpeg-caps';
import { FrameCache, MANIFEST_FILE, frameDigits, frameFileName, liveExtraction, registerLiveExtraction } from './frame-cache';
import { probeVideo } from './probe';
import { ffmpegInputUrl, ToolRunError } from './tool-runner';
import type { ExtractProgress, FrameCacheManifest, ProbeResult } from './types';
import { computeVideoKey } from './video-key';

export const DEFAULT_JPEG_QUALITY = 2;

export interface ExtractOptions {
  videoPath: string;
  cacheRoot: string;
  /** from inspectVideo(); computed when absent */
  key?: string;
  probe?: ProbeResult;
  signal?: AbortSignal;
  /** at ffmpeg's pace (about twice a second) and once at the end */
  onProgress?: (p: ExtractProgress) => void;
  /** ffmpeg -q:v (2 = high quality) */
  quality?: number;
}

export interface FrameExtraction {
  readonly key: string;
  readonly dir: string;
  /** frames the probe announced (the manifest holds the count actually written) */
  readonly total: number;
  /** frames 0..n-1 are on disk and complete */
  framesReady(): number;
  /** path of frame i, or null while it is not written yet */
  framePath(i: number): string | null;
  /** resolves with the manifest once complete; rejects with a VideoError (CANCELLED after abort) */
  readonly done: Promise<FrameCacheManifest>;
}

/** Probe (when needed) and extract; resolves when the cache is complete. */
export async function extractFrames(opts: ExtractOptions): Promise<FrameCacheManifest> {
  const key = opts.key ?? (await computeVideoKey(opts.videoPath)).key;
  const probe = opts.probe ?? (await probeVideo(opts.videoPath, { signal: opts.signal }));
  return startExtraction({ ...opts, key, probe }).done;
}

/**
 * Start extracting and return at once, so the UI can show frames as they arrive. A complete
 * cache is reused without running ffmpeg. One extraction per cache folder at a time in this
 * process: a second start while one runs fails with EXTRACTION_BUSY (use findActiveExtraction).
 */
export function startExtraction(opts: ExtractOptions & { key: string; probe: ProbeResult }): FrameExtraction {
  const cache = new FrameCache(opts.cacheRoot, opts.key);
  const digits = frameDigits(opts.probe.frames);
  const existing = cache.manifest();
  if (existing) {
    const path = (i: number) => cache.framePath(i);
    return { key: opts.key, dir: cache.dir, total: existing.frames, framesReady: () => existing.frames, framePath: path, done: Promise.resolve(existing) };
  }
  if (liveExtraction(cache.dir)) {
    throw new VideoError('EXTRACTION_BUSY', `Frames of ${opts.videoPath} are already being extracted.`, { dir: cache.dir });
  }
  // Frames become visible in order; the watermark only moves forward, one stat per new frame.
  let watermark = 0;
  const framesReady = () => {
    while (existsSync(join(cache.dir, frameFileName(watermark, digits)))) watermark++;
    return watermark;
  };
  const unregister = registerLiveExtraction(cache.dir, { digits, framesReady });
  const done = runExtraction(opts, cache, digits).finally(unregister);
  return {
    key: opts.key,
    dir: cache.dir,
    total: opts.probe.frames,
    framesReady: () => cache.framesReady() || framesReady(),
    framePath: (i) => cache.framePath(i),
    done,
  };
}

async function runExtraction(opts: ExtractOptions & { key: string; probe: ProbeResult }, cache: FrameCache, digits: number): Promise<FrameCacheManifest> {
  const started = Date.now();
  const total = opts.probe.frames;
  prepareFolder(cache.dir);
  if (opts.signal?.aborted) throw cancelledError('Frame extraction');
  const quality = opts.quality ?? DEFAULT_JPEG_QUALITY;
  // image2 expands % patterns in the whole path: a literal % in a folder name must be doubled.
  const pattern = join(cache.dir.replace(/%/g, '%%'), `%0${digits}d.jpg`);
  try {
    await runFfmpeg({
      input: ffmpegInputUrl(opts.videoPath),
      what: `Extracting the frames of ${opts.videoPath}`,
      output: pattern,
      outputOptions: [
        '-map',
        `0:${opts.probe.streamIndex}`,
        ...(await passthroughSyncArgs()),
        '-q:v',
        String(quality),
        '-start_number',
        '0',
        '-atomic_writing',
        '1',
        '-f',
        'image2',
      ],
      signal: opts.signal,
      onProgress: (p) => opts.onProgress?.({ done: Math.min(p.frame, total), total }),
    });
  } catch (err) {
    throw extractionFailure(err, opts.videoPath, cache.dir);
  }
  const written = countFrames(cache.dir, digits);
  if (written === 0) throw new VideoError('FFMPEG_FAILED', `No frame of ${opts.videoPath} could be decoded.`, { file: opts.videoPath });
  const st = await computeVideoKey(opts.videoPath).catch(() => ({ size: 0, mtimeMs: 0 }));
  const manifest: FrameCacheManifest = {
    format: 'maskline-frames',
    version: 1,
    key: opts.key,
    source: { path: opts.videoPath, size: st.size, mtimeMs: st.mtimeMs },
    probe: opts.probe,
    frames: written,
    digits,
    quality,
    extractedAt: new Date().toISOString(),
    extractMs: Date.now() - started,
  };
  try {
    const tmp = join(cache.dir, `${MANIFEST_FILE}.tmp`);
    writeFileSync(tmp, JSON.stringify(manifest, null, 1));
    renameSync(tmp, join(cache.dir, MANIFEST_FILE));
  } catch (err) {
    throw cacheWriteError(err, cache.dir);
  }
  opts.onProgress?.({ done: written, total: written });
  return manifest;
}

/** Empty (or create) the folder and prove it is writable before ffmpeg starts. */
function prepareFolder(dir: string): void {
  try {
    // Whatever is there is an incomplete earlier run: start over rather than trust it.
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const probeFile = join(dir, '.write-test');
    writeFileSync(probeFile, 'ok');
    rmSync(probeFile);
  } catch (err) {
    throw cacheWriteError(err, dir);
  }
}

/** Frames on disk, checked to be 0..n-1 without a gap. */
function countFrames(dir: string, digits: number): number {
  const names = new Set(readdirSync(dir).filter((n) => /^\d+\.jpg$/.test(n)));
  let n = 0;
  while (names.has(frameFileName(n, digits))) n++;
  if (n !== names.size)
    throw new VideoError('FFMPEG_FAILED', `The frame cache ${dir} has gaps: ${names.size} JPEGs but only 0..${n - 1} in sequence.`, { dir });
  return n;
}

function extractionFailure(err: unknown, file: string, dir: string): VideoError {
  if (err instanceof ToolRunError) {
    if (err.aborted) return cancelledError('Frame extraction');
    if (err.code === 'FFMPEG_MISSING') return err;
    const text = err.stderrTail.join('\n');
    if (/No space left on device/i.test(text)) return cacheWriteError(Object.assign(new Error(text), { code: 'ENOSPC' }), dir);
    if (/Permission denied|Read-only file system/i.test(text)) return cacheWriteError(Object.assign(new Error(text), { code: 'EACCES' }), dir);
    return new VideoError('FFMPEG_FAILED', `Extracting the frames of ${file} failed: ${err.stderrTail.slice(-3).join(' | ') || err.message}`, {
      file,
      stderr: err.stderrTail,
    });
  }
  if (err instanceof VideoError) return err;
  const code = (err as { code?: string })?.code;
  if (code === 'FFMPEG_MISSING') return new VideoError('FFMPEG_MISSING', (err as Error).message);
  return new VideoError('FFMPEG_FAILED', `Extracting the frames of ${file} failed: ${(err as Error)?.message ?? err}`, { file });
}

/** The extraction this process runs for that cache folder, if any (to share instead of restarting). */
export function isExtracting(cacheRoot: string, key: string): boolean {
  return liveExtraction(new FrameCache(cacheRoot, key).dir) !== null;
}
