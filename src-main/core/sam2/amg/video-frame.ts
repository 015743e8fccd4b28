// One frame of a video file as RGB, for segmenting a single frame headless: ffmpeg decodes up
// to frame N and keeps only that one (select by decoded-frame number, the same numbering as
// the engine's VideoFileFrameSource), so a long video is never decoded to disk whole.
import { statSync } from 'node:fs';
import { ffmpegInputUrl, runTool } from '../../video/tool-runner';
import { EngineError } from '../errors';
import { frameSourceError, parseOutputSize } from '../frame-source-video';
import type { RgbFrame } from '../preprocess';

export async function readVideoFrame(path: string, frame: number, signal?: AbortSignal): Promise<RgbFrame> {
  if (!Number.isInteger(frame) || frame < 0) throw new EngineError('BAD_FRAME', `frame must be an integer ≥ 0, got ${JSON.stringify(frame)}`);
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
  } catch (e) {
    throw new EngineError('FRAME_SOURCE', `cannot read the video ${path}: ${(e as Error).message}`);
  }
  const args = [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-i',
    ffmpegInputUrl(path),
    '-map',
    '0:v:0',
    '-vf',
    `select=eq(n\\,${frame})`,
    '-vsync',
    '0',
    '-frames:v',
    '1',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    'pipe:1',
  ];
  let result;
  try {
    result = await runTool('ffmpeg', args, { what: `decoding frame ${frame} of ${path}`, signal, maxStdoutBytes: 1 << 30 });
  } catch (e) {
    throw frameSourceError(e, path);
  }
  const { stdout, stderrHead } = result;
  const size = parseOutputSize(stderrHead);
  if (!size) throw new EngineError('FRAME_SOURCE', `ffmpeg did not report the decoded frame size of ${path}`);
  const bytes = size.width * size.height * 3;
  if (stdout.length < bytes) throw new EngineError('BAD_FRAME', `frame ${frame} does not exist: ${path} has fewer frames`);
  return { width: size.width, height: size.height, data: new Uint8Array(stdout.buffer, stdout.byteOffset, bytes) };
}
