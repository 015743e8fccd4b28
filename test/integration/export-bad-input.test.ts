// Exports that go wrong, or run on awkward videos: nothing half-written may appear under a final
// name, an older export stays as it was, and the error says what happened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpegPath, frameColor, makeVideo, tempDir } from '../helpers/make-video';
import { runExport, storeExportSource, type ExportSource, type SpawnFn } from '../../src-main/core/export';
import type { ProjectStore } from '../../src-main/core/store';
import { disc } from '../unit/export/mask-shapes';
import { fullDiskAfter } from '../unit/export/failing-fs';
import { decodeRgbFrames, makeProject, probeStreams, readGreyPng, withAudio } from '../unit/export/fixture-project';

let t: ReturnType<typeof tempDir>;
const stores: ProjectStore[] = [];
beforeAll(() => (t = tempDir('maskline-export-bad-')));
afterAll(() => {
  stores.forEach((s) => s.close());
  t.cleanup();
});

async function project(name: string, opts: Parameters<typeof makeVideo>[1], audio = false): Promise<ProjectStore> {
  const { width = 320, height = 240, frames = 50, fps = 25 } = opts ?? {};
  let video = makeVideo(join(t.dir, `${name}.mp4`), opts);
  if (audio) video = withAudio(video, join(t.dir, `${name}-audio.mp4`), frames / fps);
  const store = await makeProject(
    join(t.dir, `${name}-project`),
    video,
    [
      { name: 'a', label: 'thing' },
      { name: 'b', label: 'thing' },
    ],
    () =>
      Array.from({ length: frames }, (_, f) => ({
        objectId: 1,
        frame: f,
        bitmap: disc(width, height, width / 2, height / 2, Math.min(width, height) / 4),
        score: 1,
      })),
  );
  stores.push(store);
  return store;
}

describe('export on awkward videos', () => {
  it('a 1-frame video exports every format', async () => {
    const store = await project('one', { width: 64, height: 48, frames: 1 });
    const out = join(t.dir, 'one-out');
    const r = await runExport(storeExportSource(store), { formats: ['overlay', 'png', 'palette', 'coco', 'yolo', 'mots'], outDir: out });
    expect(r.frames).toBe(1);
    expect(probeStreams(join(out, 'overlay.mp4'))[0]).toMatchObject({ codec_name: 'h264', nb_read_frames: '1', width: 64, height: 48 });
    expect(readdirSync(join(out, 'palette'))).toEqual(['00000.png']);
    expect(readFileSync(join(out, 'mots.txt'), 'utf8').split('\n')[0]).toMatch(/^1 3001 3 48 64 \S+$/);
  });

  it('an odd-sized video with audio: the overlay is padded to even sides (and says so), audio is copied and cut to the range', async () => {
    // testsrc: lavfi's color source (the 'colors' pattern) rounds its size down to even
    const store = await project('odd', { width: 75, height: 51, frames: 25, fps: 25, pattern: 'testsrc' }, true);
    const out = join(t.dir, 'odd-out');
    const r = await runExport(storeExportSource(store), { formats: ['overlay', 'png'], outDir: out, frames: [5, 14], objectIds: [1] });
    expect(r.warnings).toEqual([expect.stringMatching(/overlay: the video is 75×51; .*padded to 76×52/)]);
    const streams = probeStreams(join(out, 'overlay.mp4'));
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({
      codec_name: 'h264',
      width: 76,
      height: 52,
      pix_fmt: 'yuv420p',
      nb_read_frames: '10',
    });
    const audio = streams.find((s) => s.codec_type === 'audio');
    expect(audio).toMatchObject({ codec_name: 'aac' });
    // 10 frames at 25 fps; stream copy cuts at AAC frames (1024 samples ≈ 23 ms)
    expect(Math.abs(Number(audio!.duration) - 0.4)).toBeLessThan(0.06);
    // the masks themselves keep the source size
    const png = readGreyPng(join(out, 'masks', '1', '00005.png'));
    expect([png.width, png.height]).toEqual([75, 51]);
    expect(readdirSync(join(out, 'masks', '1'))).toHaveLength(10);
  });

  it.each([
    ['mjpeg', 'a full-range MJPEG source stays full range end to end', { codec: 'mjpeg' as const }, 'yuvj420p'],
    ['10bit', 'a 10-bit 4:2:2 source is converted once to 8-bit 4:2:0', { pixFmt: 'yuv422p10le' }, 'yuv420p'],
  ])('%s: %s: colours survive, the mask is blended', async (name, _, videoOpts, pixFmt) => {
    const [w, h] = [64, 48];
    const store = await project(`range-${name}`, { width: w, height: h, frames: 3, ...videoOpts });
    const out = join(t.dir, `range-${name}-out`);
    await runExport(storeExportSource(store), { formats: ['overlay'], outDir: out, objectIds: [1], overlay: { opacity: 0.75 } });
    expect(probeStreams(join(out, 'overlay.mp4'))[0]).toMatchObject({ codec_name: 'h264', pix_fmt: pixFmt, nb_read_frames: '3' });
    const frames = decodeRgbFrames(join(out, 'overlay.mp4'), w, h);
    frames.forEach((rgb, f) => {
      const at = (x: number, y: number) => Array.from(rgb.subarray((y * w + x) * 3, (y * w + x) * 3 + 3));
      const src = frameColor(f);
      // a range mix-up would move these by ~12 levels (219 vs 255 steps)
      at(2, 2).forEach((c, i) => expect(Math.abs(c - src[i]!)).toBeLessThanOrEqual(6));
      const want = [src[0] * 0.25, src[1] * 0.25 + 191, src[2] * 0.25];
      at(w / 2, h / 2).forEach((c, i) => expect(Math.abs(c - want[i]!)).toBeLessThanOrEqual(6));
    });
  });

  it('a slow encoder: frames wait for it (buffers are reused only once flushed) and every one arrives intact', async () => {
    const [w, h, frames] = [320, 240, 40];
    const store = await project('slow', { width: w, height: h, frames, pattern: 'testsrc' });
    const raw = join(t.dir, 'slow-encoder-input.yuv');
    // the encoder replaced by a reader that stalls first, so the pipe fills up and stays full
    const slow: SpawnFn = (cmd, args) =>
      args.includes('pipe:0')
        ? spawn('sh', ['-c', 'sleep 0.5 && cat > "$0" && : > "$1"', raw, args.at(-1)!.replace(/^file:/, '')], { stdio: ['pipe', 'pipe', 'pipe'] })
        : spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const source = storeExportSource(store);
    await runExport(source, { formats: ['overlay'], outDir: join(t.dir, 'slow-out'), objectIds: [2] }, { spawnProcess: slow });
    // object 2 has no masks: what reached the encoder is the plain decode, frame for frame
    const reference = execFileSync(ffmpegPath(), ['-v', 'error', '-i', source.video.path, '-f', 'rawvideo', 'pipe:1'], { maxBuffer: 1 << 28 });
    const sent = readFileSync(raw);
    expect(sent.length).toBe(frames * w * h * 1.5);
    expect(sent.equals(reference)).toBe(true);
  });
});

describe('export failures leave no trace', () => {
  it('bad requests fail before anything is created', async () => {
    const store = await project('req', { width: 64, height: 48, frames: 3 });
    const out = join(t.dir, 'req-out');
    await expect(runExport(storeExportSource(store), { formats: ['png'], outDir: out, objectIds: [9] })).rejects.toMatchObject({
      code: 'EXPORT_BAD_REQUEST',
      message: expect.stringMatching(/objectIds: no object with id 9/),
    });
    await expect(runExport(storeExportSource(store), { formats: ['png'], outDir: out, frames: [0, 3] })).rejects.toThrow(
      /frames: 0:3 is not a range inside the video's frames 0:2/,
    );
    expect(() => readdirSync(out)).toThrow(/ENOENT/);
  });

  it('a destination that is a file is refused with its path named', async () => {
    const store = await project('dest', { width: 64, height: 48, frames: 3 });
    writeFileSync(join(t.dir, 'a-file'), 'x');
    await expect(runExport(storeExportSource(store), { formats: ['coco'], outDir: join(t.dir, 'a-file', 'out') })).rejects.toMatchObject({
      code: 'EXPORT_DESTINATION',
      message: expect.stringContaining(join(t.dir, 'a-file', 'out')),
    });
  });

  it('a disk that fills up mid-export: error says so, the older export is untouched, no temporaries', async () => {
    const store = await project('full', { width: 160, height: 120, frames: 30 });
    const out = join(t.dir, 'full-out');
    await runExport(storeExportSource(store), { formats: ['png', 'coco'], outDir: out, frames: [0, 1] });
    const before = { coco: readFileSync(join(out, 'coco.json')), masks: readdirSync(join(out, 'masks', '1')) };
    const disk = fullDiskAfter(6000);
    await expect(runExport(storeExportSource(store), { formats: ['png', 'coco', 'yolo', 'mots'], outDir: out }, { fs: disk })).rejects.toMatchObject({
      code: 'EXPORT_DESTINATION',
      message: expect.stringMatching(/^cannot write .*: the disk is full \(ENOSPC\)/),
    });
    expect(disk.written()).toBe(6000);
    expect(readdirSync(out).sort()).toEqual(['.maskline-export.json', 'coco.json', 'masks']);
    expect(readFileSync(join(out, 'coco.json')).equals(before.coco)).toBe(true);
    expect(readdirSync(join(out, 'masks', '1'))).toEqual(before.masks);
  });

  it('the overlay encoder failing to write (file size limit) fails the export and removes its file', async () => {
    const store = await project('fsize', { width: 160, height: 120, frames: 30, pattern: 'testsrc' });
    const out = join(t.dir, 'fsize-out');
    // RLIMIT_FSIZE on the ffmpeg processes: the encoder's output file cannot grow past 4 KiB
    const limited: SpawnFn = (cmd, args) => spawn('sh', ['-c', 'ulimit -f 8 && exec "$0" "$@"', cmd, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    await expect(runExport(storeExportSource(store), { formats: ['overlay', 'png'], outDir: out }, { spawnProcess: limited })).rejects.toMatchObject({
      code: 'EXPORT_FAILED',
      message: expect.stringMatching(/H\.264 encoder \(ffmpeg\) (was killed by SIGXFSZ|exited with code)/),
    });
    // the folder did not exist before: a failed export leaves nothing it created
    expect(existsSync(out)).toBe(false);
  });

  it('a mask of the wrong size fails the export naming the frame and object', async () => {
    const source: ExportSource = {
      video: { path: '/nowhere.mp4', name: 'x', width: 8, height: 4, fps: 25, frames: 3, hasAudio: false },
      objects: [{ id: 1, name: 'a', label: '', color: '#ff0000' }],
      masksAt: (f) => (f === 2 ? [{ objectId: 1, rle: { w: 4, h: 4, counts: [16] }, score: 1 }] : []),
    };
    const out = join(t.dir, 'corrupt-out');
    await expect(runExport(source, { formats: ['palette', 'coco'], outDir: out })).rejects.toMatchObject({
      code: 'EXPORT_FAILED',
      message: 'frame 2, object 1: mask is 4×4, the video is 8×4',
    });
    expect(existsSync(out)).toBe(false);
  });
});

describe('cancel', () => {
  it('mid-overlay: kills both ffmpeg processes, removes the partial MP4, reports CANCELLED', async () => {
    const store = await project('cancel-overlay', { width: 320, height: 240, frames: 150, pattern: 'testsrc' });
    const out = join(t.dir, 'cancel-overlay-out');
    mkdirSync(out);
    const ac = new AbortController();
    const procs: ReturnType<typeof spawn>[] = [];
    const tracked: SpawnFn = (cmd, args) => {
      const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      procs.push(p);
      return p;
    };
    let seen = 0;
    await expect(
      runExport(
        storeExportSource(store),
        { formats: ['overlay', 'png'], outDir: out },
        {
          signal: ac.signal,
          spawnProcess: tracked,
          onProgress: (p) => {
            seen = p.done;
            if (p.done === 10) ac.abort();
          },
        },
      ),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen).toBeLessThan(150);
    expect(procs).toHaveLength(2);
    for (const p of procs) expect(p.exitCode !== null || p.signalCode !== null).toBe(true);
    expect(procs.some((p) => p.signalCode === 'SIGKILL')).toBe(true);
    expect(readdirSync(out)).toEqual([]);
  });

  it('mid-masks: stops between frames and removes every staged folder and file', async () => {
    const store = await project('cancel-masks', { width: 160, height: 120, frames: 40 });
    const out = join(t.dir, 'cancel-masks-out');
    const ac = new AbortController();
    await expect(
      runExport(
        storeExportSource(store),
        { formats: ['png', 'palette', 'coco', 'yolo', 'mots'], outDir: out },
        {
          signal: ac.signal,
          onProgress: (p) => p.done === 5 && ac.abort(),
        },
      ),
    ).rejects.toMatchObject({ code: 'CANCELLED', message: 'export cancelled' });
    // a cancelled export leaves nothing it created, the folder it made included
    expect(existsSync(out)).toBe(false);
    expect(existsSync(t.dir)).toBe(true);
  });
});
