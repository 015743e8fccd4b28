// The overlay pipeline: ffmpeg decodes the source to raw yuv420p on its stdout, we blend the
// masks into each frame in Y'CbCr, and a second ffmpeg reads the frames on its stdin and encodes
// H.264 from them as they are (no colour conversion anywhere, 1.5 bytes per pixel). The
// stream is pulled one frame at a time and each write waits for the encoder to take it, so
// memory stays at a few frames whatever the video's length. Cancelling kills both processes.
// Both are started by the tool runner (stderr tail, abort → kill, coded errors).
import { startTool, type SpawnFn, type ToolProcess } from '../video/tool-runner';
import { YuvBlender, type BlendLayer, type BlendStyle } from './blend';
import { decoderArgs, encoderArgs, evenSize, type OverlayRange, type OverlaySourceInfo } from './overlay-args';
import { ExportError } from './types';
import { padYuv420ToEven, yuv420Layout } from './yuv420';

export type { SpawnFn } from '../video/tool-runner';

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

/** The process's coded failure, as an export error (the message names the process and its exit). */
async function failed(p: ToolProcess): Promise<never> {
  const err = p.failure(await p.exit);
  throw err.aborted ? new ExportError('CANCELLED', 'export cancelled') : new ExportError('EXPORT_FAILED', err.message);
}

export async function encodeOverlay(job: OverlayEncodeJob): Promise<{ frames: number }> {
  const { source, range, signal, style } = job;
  if (signal?.aborted) throw new ExportError('CANCELLED', 'export cancelled');
  const opts = { signal, spawnProcess: job.spawnProcess };
  const dec = startTool('ffmpeg', decoderArgs(source, range), { ...opts, what: `decoding ${source.path} (ffmpeg)` });
  let enc: ToolProcess;
  try {
    enc = startTool('ffmpeg', encoderArgs(source, range, job.outFile), { ...opts, what: 'the H.264 encoder (ffmpeg)' });
  } catch (err) {
    dec.kill();
    throw err;
  }
  const { child: decoder } = dec;
  const { child: encoder } = enc;
  decoder.stdin?.end();
  // a dying encoder closes its stdin under us; its exit status carries the real reason
  encoder.stdin!.on('error', () => {});
  const killBoth = () => {
    dec.kill();
    enc.kill();
  };
  const encoderFailed = () => failed(enc);
  // the latest write's flush: 'drain' only follows a write that went past the pipe's
  // highWaterMark (16 KiB), so with small frames the queue can sit at FRAMES_AHEAD frames below it
  // and a wait for 'drain' would never end; the last write's callback always comes
  let lastFlushed: Promise<void> = Promise.resolve();
  // resolves true once the encoder took the buffered bytes, false if it exited instead
  const drained = () =>
    new Promise<boolean>((resolve) => {
      if (enc.exited()) return resolve(false);
      let done = false;
      const finish = (ok: boolean) => {
        if (done) return;
        done = true;
        encoder.off('close', onClose);
        resolve(ok);
      };
      const onClose = () => finish(false);
      encoder.on('close', onClose);
      void lastFlushed.then(() => finish(true));
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
        if (enc.exited()) await encoderFailed();
        const giveBack = even.padded ? null : recycle(frame);
        lastFlushed = new Promise<void>((flushed) =>
          encoder.stdin!.write(frame, () => {
            giveBack?.();
            flushed();
          }),
        );
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
    if ((await dec.exit).code !== 0) await failed(dec);
    if (fill !== 0) throw new ExportError('EXPORT_FAILED', `decoding ${source.path} ended inside a frame (${fill} of ${frameBytes} bytes)`);
    if (frames === 0) throw new ExportError('EXPORT_FAILED', `decoding ${source.path} produced no frames for ${range.first}:${range.last}`);
    encoder.stdin!.end();
    if ((await enc.exit).code !== 0) await encoderFailed();
    return { frames };
  } catch (err) {
    killBoth();
    await Promise.all([dec.exit, enc.exit]);
    if (signal?.aborted) throw new ExportError('CANCELLED', 'export cancelled');
    throw err;
  }
}
