// The job registry driving real frame extractions: throttled progress, cancel by id, and the
// cancel-all path the app takes on quit (every ffmpeg gone, no cache marked complete).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeVideo, tempDir } from '../helpers/make-video';
import { JobRegistry, type JobSnapshot } from '../../src-main/core/jobs';
import { FrameCache, inspectVideo, startExtraction, type InspectedVideo } from '../../src-main/core/video';

let t: ReturnType<typeof tempDir>;
let videos: string[];
beforeAll(() => {
  t = tempDir('maskline-jobs-');
  videos = [0, 1].map((i) => makeVideo(join(t.dir, `v${i}.mp4`), { pattern: 'testsrc', frames: 600 + i, width: 640, height: 360 }));
});
afterAll(() => t.cleanup());

/** ffmpeg processes that are children of this test process (Linux /proc). */
function ffmpegChildren(): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && comm.startsWith('ffmpeg')) out.push(Number(pid));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

function extractionJob(reg: JobRegistry, v: InspectedVideo, cacheRoot: string) {
  return reg.create('extract', `Frames of ${v.path}`, async (ctx) => {
    const x = startExtraction({
      videoPath: v.path,
      cacheRoot,
      key: v.key,
      probe: v.probe,
      signal: ctx.signal,
      onProgress: (p) => ctx.report(p.done, p.total, 'frames'),
    });
    return (await x.done).frames;
  });
}

describe.skipIf(process.platform !== 'linux')('jobs running extractions', () => {
  it('runs to done with throttled progress events', async () => {
    const reg = new JobRegistry({ throttleMs: 100 });
    const events: JobSnapshot[] = [];
    reg.on((s) => events.push(s));
    const cacheRoot = join(t.dir, 'done');
    const v = await inspectVideo(videos[0]!, cacheRoot);
    const t0 = Date.now();
    const h = extractionJob(reg, v, cacheRoot);
    expect(await h.outcome).toEqual({ state: 'done', value: 600 });
    const seconds = (Date.now() - t0) / 1000;
    expect(events.at(-1)).toMatchObject({ state: 'done', done: 600, total: 600, unit: 'frames' });
    expect(events.length).toBeLessThanOrEqual(3 + Math.ceil(seconds * 10));
  });

  it('cancelAll on quit kills every ffmpeg and leaves no cache marked complete', async () => {
    const reg = new JobRegistry();
    const cacheRoot = join(t.dir, 'quit');
    const vs = await Promise.all(videos.map((p) => inspectVideo(p, cacheRoot)));
    const handles = vs.map((v) => extractionJob(reg, v, cacheRoot));
    // a job that ignores its signal must not hold the quit forever
    const stubborn = reg.create('stubborn', 'ignores cancel', () => new Promise<void>(() => {}));
    await expect.poll(() => ffmpegChildren().length, { timeout: 10_000 }).toBe(2);
    await expect.poll(() => vs.map((v) => v.cache.framesReady() > 0), { timeout: 10_000 }).toEqual([true, true]);

    const r = await reg.shutdown(1500);
    expect(r.cancelled.sort()).toEqual([...handles.map((h) => h.id), stubborn.id].sort());
    expect(r.abandoned).toEqual([stubborn.id]);
    for (const h of handles) expect(await h.outcome).toEqual({ state: 'cancelled' });
    expect(ffmpegChildren()).toEqual([]);
    for (const v of vs) {
      const cache = new FrameCache(cacheRoot, v.key);
      expect(cache.isComplete()).toBe(false);
      expect(cache.framesReady()).toBe(0);
    }
    expect(reg.list().map((j) => j.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });

  it('cancel by id stops that extraction only', async () => {
    const reg = new JobRegistry();
    const cacheRoot = join(t.dir, 'one');
    const [a, b] = await Promise.all(videos.map((p) => inspectVideo(p, cacheRoot)));
    const ha = extractionJob(reg, a!, cacheRoot);
    const hb = extractionJob(reg, b!, cacheRoot);
    await expect.poll(() => ffmpegChildren().length, { timeout: 10_000 }).toBe(2);
    expect(reg.cancel(ha.id)).toBe(true);
    expect(await ha.outcome).toEqual({ state: 'cancelled' });
    expect(await hb.outcome).toEqual({ state: 'done', value: 601 });
    expect(b!.cache.isComplete()).toBe(true);
    expect(a!.cache.isComplete()).toBe(false);
  });
});
