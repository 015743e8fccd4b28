// A video file decoded once by ffmpeg into raw RGB (rgb24) in a temporary file, read back at
// frame offsets: random access without a lossy JPEG step. Used by the CLI. 6 MB per 1080p frame:
// before decoding, the probed frame count is checked against the folder's free space, so that a
// long video is refused with a way out instead of filling the disk (rawDecodeSpace).
import { mkdtempSync, rmSync, statfsSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeVideo } from '../video/probe';
import { ffmpegInputUrl, runTool, ToolRunError } from '../video/tool-runner';
import { EngineError } from './errors';
import { checkFrameIndex, type FrameSource } from './frame-source';
import type { RgbFrame } from './preprocess';

/** The decoded size from ffmpeg's report of its rawvideo output stream (after autorotation). */
export function parseOutputSize(stderr: string): { width: number; height: number } | null {
  const out = stderr.slice(stderr.indexOf('Output #0'));
  const m = /Stream #0:0[^\n]*Video: rawvideo[^\n]*?, (\d{1,5})x(\d{1,5})/.exec(out);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : null;
}

/** Left free beside the decoded frames, so the disk stays usable for everything else. */
export const RAW_DECODE_RESERVE = 1024 ** 3;

/**
 * Bytes the raw decode of `frames` frames takes (rgb24), and whether `freeBytes` holds them and
 * the reserve. `frames` is ffprobe's count (an estimate for some containers): the decode is
 * refused only when it clearly cannot fit; one that runs out anyway fails as ffmpeg reports it.
 */
export function rawDecodeSpace(frames: number, width: number, height: number, freeBytes: number): { needBytes: number; fits: boolean } {
  // a count ffprobe could not give (NaN, 0) refuses nothing: ffmpeg's own failure will say more
  const n = Number.isFinite(frames) && frames > 0 ? frames : 0;
  const needBytes = n * width * height * 3;
  return { needBytes, fits: n === 0 || needBytes + RAW_DECODE_RESERVE <= freeBytes };
}

const gb = (b: number) => `${(b / 1e9).toFixed(1)} GB`;

/** Free bytes for an unprivileged writer in the folder holding `dir`. */
export function freeBytesAt(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

export class VideoFileFrameSource implements FrameSource {
  readonly label: string;
  private constructor(
    readonly numFrames: number,
    readonly width: number,
    readonly height: number,
    private readonly dir: string,
    private readonly fh: FileHandle,
    path: string,
  ) {
    this.label = path;
  }

  static async open(path: string, opts: { signal?: AbortSignal; tmpDir?: string; freeBytes?: (dir: string) => number } = {}): Promise<VideoFileFrameSource> {
    try {
      if (!statSync(path).isFile()) throw new Error('not a file');
    } catch (e) {
      throw new EngineError('FRAME_SOURCE', `cannot read the video ${path}: ${(e as Error).message}`);
    }
    const parent = opts.tmpDir ?? tmpdir();
    await checkRawSpace(path, parent, opts.freeBytes ?? freeBytesAt, opts.signal);
    const dir = mkdtempSync(join(parent, 'maskline-frames-'));
    const raw = join(dir, 'frames.rgb');
    try {
      const args = [
        '-hide_banner',
        '-nostdin',
        '-nostats',
        '-y',
        '-i',
        ffmpegInputUrl(path),
        '-map',
        '0:v:0',
        '-vsync',
        '0',
        '-f',
        'rawvideo',
        '-pix_fmt',
        'rgb24',
        ffmpegInputUrl(raw),
      ];
      const { stderrHead } = await runTool('ffmpeg', args, { what: `decoding ${path}`, signal: opts.signal, stdout: 'ignore' });
      const size = parseOutputSize(stderrHead);
      if (!size) throw new EngineError('FRAME_SOURCE', `ffmpeg did not report the decoded frame size of ${path}`);
      const bytes = statSync(raw).size;
      const frameBytes = size.width * size.height * 3;
      const numFrames = Math.floor(bytes / frameBytes);
      if (numFrames === 0) throw new EngineError('FRAME_SOURCE', `${path} has no decodable video frames`);
      const fh = await open(raw, 'r');
      return new VideoFileFrameSource(numFrames, size.width, size.height, dir, fh, path);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw frameSourceError(e, path);
    }
  }

  async read(index: number): Promise<RgbFrame> {
    checkFrameIndex(this, index);
    const n = this.width * this.height * 3;
    const data = new Uint8Array(n);
    const { bytesRead } = await this.fh.read(data, 0, n, index * n);
    if (bytesRead !== n) throw new EngineError('FRAME_SOURCE', `short read of frame ${index} of ${this.label}`);
    return { width: this.width, height: this.height, data };
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Refuses a decode the folder clearly cannot hold; a video ffprobe cannot read is left to ffmpeg's own error. */
async function checkRawSpace(path: string, parent: string, freeBytes: (dir: string) => number, signal?: AbortSignal): Promise<void> {
  let probe;
  try {
    probe = await probeVideo(path, { signal });
  } catch {
    return;
  }
  const free = freeBytes(parent);
  const { needBytes, fits } = rawDecodeSpace(probe.frames, probe.width, probe.height, free);
  if (fits) return;
  throw new EngineError(
    'FRAME_SOURCE',
    `decoding ${path} (${probe.frames} frames at ${probe.width}x${probe.height}) needs ~${gb(needBytes)} of raw frames in ${parent}, which has ${gb(free)} free (1 GB is kept free): ` +
      `give a folder of its frames instead (the app's frame cache, or ffmpeg -i VIDEO -q:v 2 DIR/%05d.jpg), or set TMPDIR to a larger disk`,
    { needBytes, freeBytes: free, dir: parent },
  );
}

/** The runner's coded failure as the engine's: CANCELLED stays CANCELLED, anything else names the video. */
export function frameSourceError(e: unknown, path: string): EngineError {
  if (e instanceof EngineError) return e;
  if (e instanceof ToolRunError && e.aborted) return new EngineError('CANCELLED', 'video decoding was cancelled');
  const tail = e instanceof ToolRunError && e.stderrTail.length ? e.stderrTail.slice(-3).join(' | ') : (e as Error).message;
  return new EngineError('FRAME_SOURCE', `cannot decode ${path}: ${tail}`, e instanceof ToolRunError ? { stderr: e.stderrTail } : undefined);
}
