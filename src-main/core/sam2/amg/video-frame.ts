// One frame of a video file as RGB, for segmenting a single frame headless: ffmpeg decodes up
// to frame N and keeps only that one (select by decoded-frame number, the same numbering as
// the engine's VideoFileFrameSource), so a long video is never decoded to disk whole.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { requireTool } from '../../video/ffmpeg-tools';
import { EngineError } from '../errors';
import { parseOutputSize } from '../frame-source-video';
import type { RgbFrame } from '../preprocess';

export async function readVideoFrame(path: string, frame: number, signal?: AbortSignal): Promise<RgbFrame> {
  if (!Number.isInteger(frame) || frame < 0) throw new EngineError('BAD_FRAME', `frame must be an integer ≥ 0, got ${JSON.stringify(frame)}`);
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
  } catch (e) {
    throw new EngineError('FRAME_SOURCE', `cannot read the video ${path}: ${(e as Error).message}`);
  }
  const args = ['-hide_banner', '-nostdin', '-nostats', '-i', path, '-map', '0:v:0', '-vf', `select=eq(n\\,${frame})`, '-vsync', '0', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];
  const { stdout, stderr, code } = await run(requireTool('ffmpeg').path, args, signal);
  if (code !== 0) throw new EngineError('FRAME_SOURCE', `cannot decode ${path}: ${stderr.split('\n').filter(Boolean).slice(-3).join(' | ')}`);
  const size = parseOutputSize(stderr);
  if (!size) throw new EngineError('FRAME_SOURCE', `ffmpeg did not report the decoded frame size of ${path}`);
  const bytes = size.width * size.height * 3;
  if (stdout.length < bytes) throw new EngineError('BAD_FRAME', `frame ${frame} does not exist: ${path} has fewer frames`);
  return { width: size.width, height: size.height, data: new Uint8Array(stdout.buffer, stdout.byteOffset, bytes) };
}

function run(cmd: string, args: string[], signal?: AbortSignal): Promise<{ stdout: Buffer; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new EngineError('CANCELLED', 'frame decoding was cancelled'));
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => {
      if (err.length < 1 << 18) err += d.toString();
    });
    const onAbort = () => p.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    p.on('error', reject);
    p.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) return reject(new EngineError('CANCELLED', 'frame decoding was cancelled'));
      resolve({ stdout: Buffer.concat(out), stderr: err, code });
    });
  });
}
