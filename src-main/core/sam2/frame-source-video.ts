// A video file decoded once by ffmpeg into raw RGB (rgb24) in a temporary file, read back at
// frame offsets: random access without a lossy JPEG step. Used by the CLI.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  static async open(path: string, opts: { signal?: AbortSignal; tmpDir?: string } = {}): Promise<VideoFileFrameSource> {
    try {
      if (!statSync(path).isFile()) throw new Error('not a file');
    } catch (e) {
      throw new EngineError('FRAME_SOURCE', `cannot read the video ${path}: ${(e as Error).message}`);
    }
    const dir = mkdtempSync(join(opts.tmpDir ?? tmpdir(), 'maskline-frames-'));
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

/** The runner's coded failure as the engine's: CANCELLED stays CANCELLED, anything else names the video. */
export function frameSourceError(e: unknown, path: string): EngineError {
  if (e instanceof EngineError) return e;
  if (e instanceof ToolRunError && e.aborted) return new EngineError('CANCELLED', 'video decoding was cancelled');
  const tail = e instanceof ToolRunError && e.stderrTail.length ? e.stderrTail.slice(-3).join(' | ') : (e as Error).message;
  return new EngineError('FRAME_SOURCE', `cannot decode ${path}: ${tail}`, e instanceof ToolRunError ? { stderr: e.stderrTail } : undefined);
}
