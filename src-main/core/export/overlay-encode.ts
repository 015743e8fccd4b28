// The overlay pipeline: ffmpeg decodes the source to raw yuv420p on its stdout, we blend the
// masks into each frame in Y'CbCr, and a second ffmpeg reads the frames on its stdin and encodes
// H.264 from them as they are (no colour conversion anywhere, 1.5 bytes per pixel). The
// stream is pulled one frame at a time and each write waits for the encoder to take it, so
// memory stays at a few frames whatever the video's length. Cancelling kills both processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { requireTool } from '../video/ffmpeg-tools';
import { YuvBlender, type BlendLayer, type BlendStyle } from './blend';
import { decoderArgs, encoderArgs, evenSize, type OverlayRange, type OverlaySourceInfo } from './overlay-args';
import { ExportError } from './types';
import { padYuv420ToEven, yuv420Layout } from './yuv420';

export type SpawnFn = (command: string, args: string[]) => ChildProcess;

export interface OverlayEncodeJob {
  source: OverlaySourceInfo;
  range: OverlayRange;
  /** written by ffmpeg; the caller renames it into place */
  outFile: string;
  /** masks to paint on a frame, bottom first; empty = the frame passes through untouched */
  layersAt(frame: number): BlendLayer[];
  style: BlendStyle;
  signal?: AbortSignal;
  onFrame?(framesDone: number): void;
  /** how the two ffmpeg processes are started (tests wrap it to impose limits) */
  spawnProcess?: SpawnFn;
}

/** Frames buffered for the encoder before we wait for it (memory: this many raw frames). */
export const FRAMES_AHEAD = 3;

const defaultSpawn: SpawnFn = (command, args) => spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function exitOf(p: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => {
    p.once('error', () => resolve({ code: -1, signal: null }));
    p.once('close', (code, signal) => resolve({ code, signal }));
  });
}

/** Keeps the last few KiB of a process's stderr for the error message. */
function stderrTail(p: ChildProcess): () => string {
  let text = '';
  p.stderr?.setEncoding('utf8');
  p.stderr?.on('data', (d: string) => {
    text = (text + d).slice(-4000);
  });
  return () => text.trim();
}

function describe(what: string, exit: Exit, stderr: string): string {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return `${what} ${how}${stderr ? `: ${stderr.split('\n').slice(-3).join(' | ')}` : ''}`;
}

export async function encodeOverlay(job: OverlayEncodeJob): Promise<{ frames: number }> {
  const { source, range, signal, style } = job;
  if (signal?.aborted) throw new ExportError('CANCELLED', 'export cancelled');
  const ffmpeg = requireTool('ffmpeg').path;
  const start = job.spawnProcess ?? defaultSpawn;
  const decoder = start(ffmpeg, decoderArgs(source, range));
  const encoder = start(ffmpeg, encoderArgs(source, range, job.outFile));
  const decoderExit = exitOf(decoder);
  const encoderExit = exitOf(encoder);
  const decoderErr = stderrTail(decoder);
  const encoderErr = stderrTail(encoder);
  decoder.stdin?.end();
  // a dying encoder closes its stdin under us; its exit status carries the real reason
  encoder.stdin!.on('error', () => {});
  const killBoth = () => {
    decoder.kill('SIGKILL');
    encoder.kill('SIGKILL');
  };
  signal?.addEventListener('abort', killBoth, { once: true });

  let encoderClosed = false;
  void encoderExit.then(() => (encoderClosed = true));
  const encoderFailed = async (): Promise<never> => {
    const exit = await encoderExit;
    throw new Error(describe('the H.264 encoder (ffmpeg)', exit, encoderErr()));
  };
  // resolves true once the encoder took the buffered bytes, false if it exited instead
  const drained = () =>
    new Promise<boolean>((resolve) => {
      if (encoderClosed) return resolve(false);
      const finish = (ok: boolean) => {
        encoder.stdin!.off('drain', onDrain);
        encoder.off('close', onClose);
        resolve(ok);
      };
      const onDrain = () => finish(true);
      const onClose = () => finish(false);
      encoder.stdin!.on('drain', onDrain);
      encoder.on('close', onClose);
    });

  const { width: w, height: h } = source;
  const even = evenSize(w, h);
  const frameBytes = yuv420Layout(w, h).bytes;
  const evenBytes = yuv420Layout(even.w, even.h).bytes;
  const blender = new YuvBlender(even.w, even.h, style, { matrix: source.matrix, range: source.range });
  // frame buffers come back once the encoder's pipe has taken them: a few megabytes reused
  // instead of a fresh one per frame for the garbage collector
  const pool: Buffer[] = [];
  const recycle = (b: Buffer) => () => pool.length <= FRAMES_AHEAD && pool.push(b);
  let frames = 0;
  try {
    let buf: Buffer = Buffer.allocUnsafe(frameBytes);
    let fill = 0;
    for await (const chunk of decoder.stdout! as AsyncIterable<Buffer>) {
      let off = 0;
      while (off < chunk.length) {
        const n = Math.min(frameBytes - fill, chunk.length - off);
        chunk.copy(buf, fill, off, off + n);
        fill += n;
        off += n;
        if (fill < frameBytes) continue;
        const layers = job.layersAt(range.first + frames);
        const frame = even.padded ? padYuv420ToEven(buf, w, h, source.range) : buf;
        if (layers.length > 0) blender.blend(frame, layers);
        // Up to FRAMES_AHEAD frames may wait in the encoder's pipe, so the decoder and our
        // blending run while the encoder works instead of taking turns with it.
        if (encoderClosed) await encoderFailed();
        encoder.stdin!.write(frame, even.padded ? undefined : recycle(frame));
        if (encoder.stdin!.writableLength >= FRAMES_AHEAD * evenBytes && !(await drained())) await encoderFailed();
        frames++;
        job.onFrame?.(frames);
        // the pipe holds on to what it was given until it is flushed; a padded copy went there
        // instead, so the decode buffer is free again
        if (!even.padded) buf = pool.pop() ?? Buffer.allocUnsafe(frameBytes);
        fill = 0;
        if (signal?.aborted) throw new ExportError('CANCELLED', 'export cancelled');
      }
    }
    const dec = await decoderExit;
    if (dec.code !== 0) throw new Error(describe(`decoding ${source.path} (ffmpeg)`, dec, decoderErr()));
    if (fill !== 0) throw new Error(`decoding ${source.path} ended inside a frame (${fill} of ${frameBytes} bytes)`);
    if (frames === 0) throw new Error(`decoding ${source.path} produced no frames for ${range.first}:${range.last}`);
    encoder.stdin!.end();
    const enc = await encoderExit;
    if (enc.code !== 0) await encoderFailed();
    return { frames };
  } catch (err) {
    killBoth();
    await Promise.all([decoderExit, encoderExit]);
    if (signal?.aborted) throw new ExportError('CANCELLED', 'export cancelled');
    throw err;
  } finally {
    signal?.removeEventListener('abort', killBoth);
  }
}
