// Frame extraction into the cache on real generated videos: every decoded frame, upright, in
// order; reuse, cancel, and the cache folder's failure modes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { frameFromColor, makeVideo, tempDir } from '../helpers/make-video';
import { FrameCache, MANIFEST_FILE, VideoError, extractFrames, inspectVideo, startExtraction, type ExtractProgress } from '../../src-main/core/video';
import * as fx from '../unit/video/fixtures';
import { canMountTmpfs, mountTmpfs } from '../helpers/tmpfs';

let t: ReturnType<typeof tempDir>;
let dir: string;
beforeAll(() => {
  t = tempDir('maskline-extract-');
  dir = t.dir;
});
afterAll(() => t.cleanup());

function decode(path: string) {
  return jpeg.decode(readFileSync(path), { useTArray: true });
}

function centre(path: string): [number, number, number] {
  const img = decode(path);
  const o = (Math.floor(img.height / 2) * img.width + Math.floor(img.width / 2)) * 4;
  return [img.data[o]!, img.data[o + 1]!, img.data[o + 2]!];
}

async function failure(p: Promise<unknown>): Promise<VideoError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(VideoError);
    return e as VideoError;
  }
  throw new Error('expected a failure');
}

describe('extraction', () => {
  it('writes every frame in order as 0-based 5-digit JPEGs, then the manifest', async () => {
    const video = makeVideo(join(dir, 'colors.mp4'), { frames: 40, width: 64, height: 48 });
    const cacheRoot = join(dir, 'cache');
    const progress: ExtractProgress[] = [];
    const m = await extractFrames({ videoPath: video, cacheRoot, onProgress: (p) => progress.push(p) });
    expect(m.frames).toBe(40);
    const files = readdirSync(join(cacheRoot, m.key)).sort();
    expect(files).toEqual([...Array.from({ length: 40 }, (_, i) => `${String(i).padStart(5, '0')}.jpg`), MANIFEST_FILE]);
    for (const i of [0, 1, 17, 39]) expect(frameFromColor(centre(join(cacheRoot, m.key, files[i]!)))).toBe(i);
    expect(progress.at(-1)).toEqual({ done: 40, total: 40 });
    const cache = new FrameCache(cacheRoot, m.key);
    expect(cache.isComplete()).toBe(true);
    expect(cache.framesReady()).toBe(40);
    expect(cache.framePath(39)).toBe(join(cacheRoot, m.key, '00039.jpg'));
    expect(cache.framePath(40)).toBeNull();
  });

  it('reuses a complete cache when the same file is opened again, without ffmpeg or ffprobe', async () => {
    const video = makeVideo(join(dir, 'reuse.mp4'), { frames: 12 });
    const cacheRoot = join(dir, 'cache-reuse');
    const first = await extractFrames({ videoPath: video, cacheRoot });
    const before = statSync(join(cacheRoot, first.key, '00000.jpg')).mtimeMs;
    const v = await inspectVideo(video, cacheRoot);
    expect(v.cache.isComplete()).toBe(true);
    expect(v.probe.frames).toBe(12);
    const again = startExtraction({ videoPath: video, cacheRoot, key: v.key, probe: v.probe });
    expect(again.framesReady()).toBe(12);
    expect(await again.done).toEqual(first);
    expect(statSync(join(cacheRoot, first.key, '00000.jpg')).mtimeMs).toBe(before);
  });

  it('makes one JPEG per decoded frame of a VFR video (no duplicated or dropped frames)', async () => {
    const m = await extractFrames({ videoPath: fx.vfrClip(join(dir, 'vfr.mp4'), 30), cacheRoot: join(dir, 'cache-vfr') });
    expect(m.frames).toBe(30);
  });

  it('writes upright frames of a rotated video, turned the way the probe reports', async () => {
    const src = fx.halfWhite(join(dir, 'half.mp4'), 64, 48);
    const rotated = fx.withRotation(src, join(dir, 'half-rot.mp4'), 90);
    const cacheRoot = join(dir, 'cache-rot');
    const m = await extractFrames({ videoPath: rotated, cacheRoot });
    const img = decode(join(cacheRoot, m.key, '00000.jpg'));
    expect([img.width, img.height]).toEqual([m.probe.width, m.probe.height]);
    expect([img.width, img.height]).toEqual([48, 64]);
    const lum = (x: number, y: number) => img.data[(y * img.width + x) * 4]!;
    // The stored picture's white left edge: clockwise 90 puts it on top, 270 at the bottom.
    const top = lum(24, 4);
    const bottom = lum(24, 59);
    if (m.probe.rotation === 90) expect([top > 200, bottom < 50]).toEqual([true, true]);
    else {
      expect(m.probe.rotation).toBe(270);
      expect([top < 50, bottom > 200]).toEqual([true, true]);
    }
  });

  it('handles spaces, unicode and % in the video and cache paths', async () => {
    const sub = join(dir, 'vidéo dir %d 動画');
    mkdirSync(sub, { recursive: true });
    const video = makeVideo(join(sub, 'clip %03d ü.mp4'), { frames: 6 });
    const m = await extractFrames({ videoPath: video, cacheRoot: join(sub, 'cache %s') });
    expect(readdirSync(join(sub, 'cache %s', m.key)).filter((n) => n.endsWith('.jpg'))).toHaveLength(6);
  });

  it('extracts an 8K frame', async () => {
    const m = await extractFrames({ videoPath: fx.bigFrame(join(dir, '8k.mp4'), 7680, 4320), cacheRoot: join(dir, 'cache-8k') });
    expect(m.frames).toBe(1);
    expect(jpegSize(readFileSync(join(dir, 'cache-8k', m.key, '00000.jpg')))).toEqual([7680, 4320]);
  });
});

describe('extraction while it runs, and cancel', () => {
  let video: string;
  beforeAll(() => {
    video = makeVideo(join(dir, 'long.mp4'), { pattern: 'testsrc', frames: 750, width: 640, height: 360, fps: 25 });
  });

  it('serves finished frames during extraction and refuses a second extraction of the same cache', async () => {
    const cacheRoot = join(dir, 'cache-live');
    const v = await inspectVideo(video, cacheRoot);
    const seen: number[] = [];
    let aheadRefused = 0;
    const problems: unknown[] = [];
    const x = startExtraction({ videoPath: video, cacheRoot, key: v.key, probe: v.probe });
    // Look while it runs, as the UI's frame requests would: whatever path is handed out must
    // be a complete JPEG, and frames not written yet are refused.
    const timer = setInterval(() => {
      try {
        const n = x.framesReady();
        seen.push(n);
        if (n > 0) expect(decode(x.framePath(n - 1)!).width).toBe(640);
        const ahead = x.framePath(749);
        if (ahead === null) aheadRefused++;
        else expect(decode(ahead).width).toBe(640);
        expect(v.cache.framesReady()).toBeGreaterThanOrEqual(n);
      } catch (e) {
        problems.push(e);
      }
    }, 15);
    await x.done.finally(() => clearInterval(timer));
    expect(problems).toEqual([]);
    expect(seen.some((n) => n > 0 && n < 750)).toBe(true);
    expect(aheadRefused).toBeGreaterThan(0);
    expect(v.cache.framesReady()).toBe(750);
  });

  it('cancel kills ffmpeg, leaves the cache incomplete, and the next run starts over and completes', async () => {
    const cacheRoot = join(dir, 'cache-cancel');
    const v = await inspectVideo(video, cacheRoot);
    const ac = new AbortController();
    const x = startExtraction({
      videoPath: video,
      cacheRoot,
      key: v.key,
      probe: v.probe,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.done > 0) ac.abort();
      },
    });
    const e = await failure(x.done);
    expect(e.code).toBe('CANCELLED');
    const cache = new FrameCache(cacheRoot, v.key);
    expect(cache.isComplete()).toBe(false);
    expect(cache.framesReady()).toBe(0);
    expect(existsSync(join(cacheRoot, v.key, MANIFEST_FILE))).toBe(false);
    // ffmpeg is gone: no more frames appear.
    const count = () => readdirSync(join(cacheRoot, v.key)).length;
    const n = count();
    await new Promise((r) => setTimeout(r, 400));
    expect(count()).toBe(n);
    expect(n).toBeLessThan(750);
    const m = await extractFrames({ videoPath: video, cacheRoot, key: v.key, probe: v.probe });
    expect(m.frames).toBe(750);
  });

  it('a signal aborted before the start never runs ffmpeg', async () => {
    const ac = new AbortController();
    ac.abort();
    const e = await failure(extractFrames({ videoPath: video, cacheRoot: join(dir, 'cache-pre'), signal: ac.signal }));
    expect(e.code).toBe('CANCELLED');
  });
});

describe('cache folder problems', () => {
  it('a stale folder without a manifest is not a cache and is rebuilt from scratch', async () => {
    const video = makeVideo(join(dir, 'stale.mp4'), { frames: 5 });
    const cacheRoot = join(dir, 'cache-stale');
    const v = await inspectVideo(video, cacheRoot);
    mkdirSync(v.cache.dir, { recursive: true });
    for (const n of ['00000.jpg', '00001.jpg', '00007.jpg']) writeFileSync(join(v.cache.dir, n), 'half-written');
    writeFileSync(join(v.cache.dir, MANIFEST_FILE), '{"format":"maskline-frames","version":1,"key":"other"}');
    expect(v.cache.isComplete()).toBe(false);
    const m = await extractFrames({ videoPath: video, cacheRoot, key: v.key, probe: v.probe });
    expect(m.frames).toBe(5);
    expect(readdirSync(v.cache.dir).sort()).toEqual(['00000.jpg', '00001.jpg', '00002.jpg', '00003.jpg', '00004.jpg', MANIFEST_FILE]);
  });

  it('a cache root that cannot be a folder gives CACHE_NOT_WRITABLE', async () => {
    const video = makeVideo(join(dir, 'nf.mp4'), { frames: 3 });
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const e = await failure(extractFrames({ videoPath: video, cacheRoot: join(file, 'cache') }));
    expect(e.code).toBe('CACHE_NOT_WRITABLE');
    expect(e.message).toMatch(/cannot be written/);
  });

  const root = process.getuid?.() === 0;
  const mountable = root && canMountTmpfs();
  // As root, chmod does not stop writes: a read-only tmpfs does. Without root, chmod does.
  it.skipIf(root && !mountable)('a read-only cache folder gives CACHE_NOT_WRITABLE and writes nothing', async () => {
    const video = makeVideo(join(dir, 'ro.mp4'), { frames: 3 });
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    const undo = root ? mountTmpfs(ro, 'ro') : chmodReadOnly(ro);
    try {
      const e = await failure(extractFrames({ videoPath: video, cacheRoot: ro }));
      expect(e.code).toBe('CACHE_NOT_WRITABLE');
      expect(readdirSync(ro)).toEqual([]);
    } finally {
      undo();
    }
  });

  it.skipIf(!mountable)('a full disk gives DISK_FULL and no manifest (needs root to mount a tiny tmpfs)', async () => {
    const video = makeVideo(join(dir, 'full.mp4'), { pattern: 'testsrc', frames: 60, width: 320, height: 240 });
    const small = join(dir, 'small');
    mkdirSync(small);
    const undo = mountTmpfs(small, 'size=64k');
    try {
      const e = await failure(extractFrames({ videoPath: video, cacheRoot: small }));
      expect(e.code).toBe('DISK_FULL');
      expect(e.message).toMatch(/full/);
      expect(readdirSync(small).flatMap((k) => readdirSync(join(small, k)))).not.toContain(MANIFEST_FILE);
    } finally {
      undo();
    }
  });
});

/** Width and height from a JPEG's SOF marker (decoding 33 Mpixels in JS would take seconds). */
function jpegSize(b: Buffer): [number, number] {
  let p = 2;
  while (p + 9 < b.length) {
    const marker = b[p + 1]!;
    const len = b.readUInt16BE(p + 2);
    if (marker >= 0xc0 && marker <= 0xc3) return [b.readUInt16BE(p + 7), b.readUInt16BE(p + 5)];
    p += 2 + len;
  }
  throw new Error('no SOF marker');
}

function chmodReadOnly(at: string): () => void {
  execFileSync('chmod', ['0555', at]);
  return () => execFileSync('chmod', ['0755', at]);
}
