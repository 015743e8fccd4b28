// Probing real files generated with ffmpeg: good ones give exact facts, bad ones one clear error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeVideo, tempDir } from '../helpers/make-video';
import { MAX_LONG_SIDE, VideoError, computeVideoKey, probeVideo } from '../../src-main/core/video';
import * as fx from '../unit/video/fixtures';

let t: ReturnType<typeof tempDir>;
let dir: string;
beforeAll(() => {
  t = tempDir('maskline-probe-');
  dir = t.dir;
});
afterAll(() => t.cleanup());

async function errorOf(path: string): Promise<VideoError> {
  try {
    await probeVideo(path);
  } catch (e) {
    expect(e).toBeInstanceOf(VideoError);
    return e as VideoError;
  }
  throw new Error(`probing ${path} did not fail`);
}

describe('probeVideo on good videos', () => {
  it('reports frames, fps, size, duration and codec of a plain MP4', async () => {
    const p = await probeVideo(makeVideo(join(dir, 'plain.mp4'), { frames: 30, fps: 25, width: 64, height: 48 }));
    expect(p).toMatchObject({
      frames: 30,
      fps: 25,
      width: 64,
      height: 48,
      codec: 'h264',
      rotation: 0,
      hasAudio: false,
      variableFrameRate: false,
      warnings: [],
    });
    expect(p.durationSec).toBeCloseTo(1.2, 2);
  });

  it('keeps odd sizes and counts a one-frame clip', async () => {
    const odd = await probeVideo(makeVideo(join(dir, 'odd.mp4'), { pattern: 'testsrc', width: 97, height: 55, frames: 7 }));
    expect([odd.width, odd.height, odd.frames]).toEqual([97, 55, 7]);
    const one = await probeVideo(makeVideo(join(dir, 'one.mp4'), { frames: 1 }));
    expect(one.frames).toBe(1);
  });

  it('counts frames of containers without a frame count (MKV, MJPEG AVI) and sees audio', async () => {
    const mkv = await probeVideo(fx.withAudio(join(dir, 'a.mkv'), 23));
    expect(mkv.frames).toBe(23);
    expect(mkv.hasAudio).toBe(true);
    const avi = await probeVideo(makeVideo(join(dir, 'm.avi'), { frames: 12, codec: 'mjpeg' }));
    expect([avi.frames, avi.codec]).toEqual([12, 'mjpeg']);
  });

  it('reports a variable frame rate video by decoded frames with its average rate', async () => {
    const p = await probeVideo(fx.vfrClip(join(dir, 'vfr.mp4'), 30));
    expect(p.frames).toBe(30);
    expect(p.variableFrameRate).toBe(true);
    expect(p.fps).toBeCloseTo(30 / p.durationSec, 1);
    expect(p.warnings.join(' ')).toMatch(/variable frame rate/);
  });

  it('reports rotation and the displayed (turned) size', async () => {
    const src = makeVideo(join(dir, 'r0.mp4'), { frames: 3, width: 64, height: 48 });
    const p = await probeVideo(fx.withRotation(src, join(dir, 'r90.mp4'), 90));
    expect([90, 270]).toContain(p.rotation);
    expect([p.width, p.height]).toEqual([48, 64]);
    const q = await probeVideo(fx.withRotation(src, join(dir, 'r180.mp4'), 180));
    expect([q.rotation, q.width, q.height]).toEqual([180, 64, 48]);
  });

  it('opens paths with spaces and unicode, and names that look like options or protocols', async () => {
    const sub = join(dir, 'my vidéos 動画');
    mkdirSync(sub, { recursive: true });
    expect((await probeVideo(makeVideo(join(sub, 'clip ü.mp4'), { frames: 4 }))).frames).toBe(4);
    expect((await probeVideo(makeVideo(join(sub, '-x:y.mp4'), { frames: 5 }))).frames).toBe(5);
  });

  it(`accepts 8K (7680×4320) with a memory warning and refuses beyond ${MAX_LONG_SIDE} px`, async () => {
    const p = await probeVideo(fx.bigFrame(join(dir, '8k.mp4'), 7680, 4320));
    expect([p.width, p.height, p.frames]).toEqual([7680, 4320, 1]);
    expect(p.warnings.join(' ')).toMatch(/7680×4320/);
    const e = await errorOf(fx.bigFrame(join(dir, 'huge.mp4'), 8200, 64));
    expect(e.code).toBe('TOO_LARGE');
    expect(e.message).toMatch(/8200×64/);
  });
});

describe('probeVideo on bad input: one clear error each', () => {
  const cases: [string, (d: string) => string, string, RegExp][] = [
    ['missing file', (d) => join(d, 'nope.mp4'), 'FILE_NOT_FOUND', /does not exist/],
    ['a folder', (d) => d, 'NOT_A_FILE', /is a folder/],
    ['zero-length file', (d) => (writeFileSync(join(d, 'zero.mp4'), ''), join(d, 'zero.mp4')), 'EMPTY_FILE', /empty/],
    ['text file', (d) => (writeFileSync(join(d, 'notes.mp4'), 'hello, not a video\n'.repeat(50)), join(d, 'notes.mp4')), 'NOT_A_VIDEO', /not a video/],
    ['still image', (d) => fx.stillImage(join(d, 'still.png')), 'NOT_A_VIDEO', /still image/],
    ['audio only', (d) => fx.audioOnly(join(d, 'sound.m4a')), 'NO_VIDEO_STREAM', /only audio/],
    ['unknown codec', (d) => fx.unknownCodec(join(d, 'weird.avi')), 'UNSUPPORTED_CODEC', /QZXW/],
    ['MP4 cut before its index', (d) => fx.truncated(makeVideo(join(d, 'whole.mp4'), { frames: 40 }), join(d, 'cut.mp4'), 0.5), 'TRUNCATED', /incomplete/],
    [
      'fast-start MP4 cut mid-stream',
      (d) => fx.truncated(fx.faststart(makeVideo(join(d, 'whole2.mp4'), { frames: 40 }), join(d, 'fs.mp4')), join(d, 'cutfs.mp4'), 0.5),
      'TRUNCATED',
      /ends early: it should hold 40 frames/,
    ],
  ];
  it.each(cases)('%s', async (_name, make, code, message) => {
    const path = make(dir);
    const e = await errorOf(path);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it('rejects an empty path', async () => {
    expect((await errorOf('')).code).toBe('FILE_NOT_FOUND');
  });
});

describe('computeVideoKey', () => {
  it('is stable for the same file and changes when the file changes', async () => {
    const f = makeVideo(join(dir, 'key.mp4'), { frames: 5 });
    const a = await computeVideoKey(f);
    expect(a.key).toMatch(/^[0-9a-f]{64}$/);
    expect((await computeVideoKey(f)).key).toBe(a.key);
    makeVideo(f, { frames: 6 });
    expect((await computeVideoKey(f)).key).not.toBe(a.key);
  });
});
