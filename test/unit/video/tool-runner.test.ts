// The one ffmpeg/ffprobe runner: input-path safety, bounded stderr, coded errors, cancel.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StderrCollector } from '../../../src-main/core/video/tool-output';
import { ffmpegInputUrl, runTool, startTool, ToolRunError, unsafeInputs } from '../../../src-main/core/video/tool-runner';
import { makeVideo, tempDir } from '../../helpers/make-video';

describe('input-path safety', () => {
  const table: [string[], string[]][] = [
    [['-i', 'file:/videos/a.mp4', 'out.mp4'], []],
    [['-i', 'pipe:0'], []],
    [['-i', 'pipe:'], []],
    [['-i', 'cam:1.mp4'], ['cam:1.mp4']],
    [['-i', '/abs/plain.mp4'], ['/abs/plain.mp4']],
    [['-i', 'file:relative.mp4'], ['file:relative.mp4']],
    [['-i', 'file:/a.mp4', '-i', 'http://host/x'], ['http://host/x']],
    [['-codecs'], []],
    [['-i'], ['(missing)']],
  ];
  it.each(table)('%j → unsafe %j', (args, bad) => expect(unsafeInputs(args)).toEqual(bad));

  it('file: URLs only for absolute paths; odd names stay plain files', () => {
    expect(ffmpegInputUrl('/v/-cam:1.mp4')).toBe('file:/v/-cam:1.mp4');
    expect(() => ffmpegInputUrl('cam:1.mp4')).toThrow(/absolute/);
  });

  it('refuses to start a process with an unsafe input', () => {
    expect(() => startTool('ffmpeg', ['-i', 'cam:1.mp4', '-f', 'null', '-'], { what: 'test' })).toThrow(/unsafe ffmpeg input "cam:1.mp4"/);
  });
});

describe('stderr collector', () => {
  it('splits chunks into lines, hands progress lines to the parser, keeps the last messages', () => {
    const progress: string[] = [];
    const c = new StderrCollector((l) => (l.startsWith('frame=') ? (progress.push(l), true) : false), { headBytes: 10, tailLines: 2, lineChars: 8 });
    c.write('Input #0 from x\nfra');
    c.write('me=3\r\nfirst error\nsecond\nthird line that is long');
    c.end();
    expect(progress).toEqual(['frame=3']);
    expect(c.headText()).toBe('Input #0 f');
    expect(c.tailLines()).toEqual(['second', 'third li…']);
  });

  it('stays bounded whatever a process writes', () => {
    const c = new StderrCollector();
    for (let i = 0; i < 10_000; i++) c.write(`warning ${i} ${'x'.repeat(900)}\n`);
    c.write('y'.repeat(1 << 20));
    expect(c.tailLines()).toHaveLength(20);
    expect(c.tailLines().every((l) => l.length <= 501)).toBe(true);
    expect(c.headText().length).toBe(256 << 10);
  });
});

describe('runTool / startTool on real processes', () => {
  const tmp = tempDir('maskline-runner-');
  let video: string;
  beforeAll(() => {
    video = makeVideo(join(tmp.dir, '-odd:name.mp4'), { width: 64, height: 48, frames: 5, pattern: 'testsrc' });
  });
  afterAll(() => tmp.cleanup());

  it('collects stdout of a file whose name has a colon and a leading dash', async () => {
    const { stdout } = await runTool('ffmpeg', ['-v', 'error', '-i', ffmpegInputUrl(video), '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'], {
      what: 'decoding',
    });
    expect(stdout.length).toBe(64 * 48 * 5);
  });

  it('a failure is FFMPEG_FAILED naming what ran, with ffmpeg’s last messages', async () => {
    const err = await runTool('ffprobe', ['-v', 'error', '-i', ffmpegInputUrl(join(tmp.dir, 'missing.mp4'))], { what: 'reading missing.mp4' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ToolRunError);
    expect(err).toMatchObject({
      code: 'FFMPEG_FAILED',
      tool: 'ffprobe',
      message: expect.stringMatching(/^reading missing\.mp4 exited with code 1: .*No such file/),
    });
    expect((err as ToolRunError).stderrTail.join('\n')).toMatch(/No such file or directory/);
  });

  it('output past the limit kills the process and says so', async () => {
    await expect(
      runTool('ffmpeg', ['-v', 'error', '-i', ffmpegInputUrl(video), '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'], {
        what: 'decoding',
        maxStdoutBytes: 1000,
      }),
    ).rejects.toMatchObject({
      code: 'FFMPEG_FAILED',
      message: expect.stringMatching(/printed more than 1000 bytes/),
    });
  });

  it('an abort kills the process and is CANCELLED', async () => {
    const ac = new AbortController();
    // reads raw frames from a stdin that never ends: only the abort stops it
    const p = startTool('ffmpeg', ['-f', 'rawvideo', '-s', '8x8', '-pix_fmt', 'gray', '-i', 'pipe:0', '-f', 'null', '-'], {
      what: 'waiting',
      signal: ac.signal,
    });
    setTimeout(() => ac.abort(), 100);
    const exit = await p.exit;
    expect(exit.signal).toBe('SIGKILL');
    expect(p.failure(exit)).toMatchObject({ code: 'CANCELLED', message: 'waiting was cancelled' });
    await expect(runTool('ffmpeg', ['-codecs'], { what: 'late', signal: ac.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('progress comes from -progress reports added by the runner', async () => {
    const frames: number[] = [];
    await runTool('ffmpeg', ['-v', 'error', '-i', ffmpegInputUrl(video), '-f', 'null', '-'], { what: 'decoding', onProgress: (p) => frames.push(p.frame) });
    expect(frames.at(-1)).toBe(5);
  });
});
