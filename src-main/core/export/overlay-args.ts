// The two ffmpeg command lines of the overlay export, as pure functions of the source's
// properties: decoder (source → raw yuv420p frames on stdout, the source's own bytes whenever it
// is 8-bit 4:2:0 already) and encoder (raw yuv420p on stdin + the source's audio → H.264 MP4,
// no pixel-format conversion in between).
import { ffmpegInputUrl } from '../video/tool-runner';
import type { YuvMatrix, YuvRange } from './yuv420';

export interface OverlaySourceInfo {
  path: string;
  /** ffprobe index of the video stream to decode (files can carry cover art as a video stream too) */
  streamIndex: number;
  width: number;
  height: number;
  /** rational frame rate as ffmpeg writes it, e.g. "30000/1001" */
  fps: string;
  /** colour matrix of the source: the overlay colour is converted to Y'CbCr with it */
  matrix: YuvMatrix;
  /** limited (yuv420p) or full (yuvj420p, JPEG) range: frames stay in it end to end */
  range: YuvRange;
  /** colour tags to copy onto the output (ffprobe names), absent when the source has none */
  colorTags: { space?: string; primaries?: string; transfer?: string };
  /** codec of each audio stream (none: empty) */
  audioCodecs: string[];
}

export interface OverlayRange {
  first: number;
  /** inclusive */
  last: number;
  /** frames in the whole video: a range that covers them all needs no trimming */
  total: number;
}

/** Audio codecs the MP4 muxer takes as they are; others are re-encoded to AAC. */
const MP4_AUDIO = new Set(['aac', 'mp3', 'ac3', 'eac3', 'alac', 'opus', 'mp2']);

export function audioPlan(codecs: readonly string[]): 'none' | 'copy' | 'aac' {
  if (codecs.length === 0) return 'none';
  return codecs.every((c) => MP4_AUDIO.has(c)) ? 'copy' : 'aac';
}

/** yuv420p stores chroma per 2×2 block, so H.264 in it needs even sides. */
export function evenSize(w: number, h: number): { w: number; h: number; padded: boolean } {
  const ew = w + (w % 2);
  const eh = h + (h % 2);
  return { w: ew, h: eh, padded: ew !== w || eh !== h };
}

/** A float fps as the rational ffmpeg should use: NTSC rates get their /1001 back. */
export function fpsRational(fps: number): string {
  if (!(fps > 0) || !Number.isFinite(fps)) throw new Error(`frame rate must be positive, got ${fps}`);
  for (const den of [1, 1001, 1000]) {
    const num = Math.round(fps * den);
    if (Math.abs(num / den - fps) < 1e-6 * fps) return reduced(num, den);
  }
  return reduced(Math.round(fps * 1000), 1000);
}

function reduced(num: number, den: number): string {
  let a = num;
  let b = den;
  while (b) [a, b] = [b, a % b];
  return `${num / a}/${den / a}`;
}

export function parseRational(r: string): number {
  const [n, d] = r.split('/').map(Number);
  return d === undefined ? n! : n! / d;
}

function isPartial(range: OverlayRange): boolean {
  return range.first > 0 || range.last < range.total - 1;
}

/**
 * The raw pixel format of the pipe: 8-bit 4:2:0 in the source's range. ffmpeg names full range
 * 4:2:0 `yuvj420p`; the bytes are laid out exactly like yuv420p.
 */
export function pipePixelFormat(src: Pick<OverlaySourceInfo, 'range'>): 'yuv420p' | 'yuvj420p' {
  return src.range === 'full' ? 'yuvj420p' : 'yuv420p';
}

export function decoderArgs(src: OverlaySourceInfo, range: OverlayRange): string[] {
  const pixFmt = pipePixelFormat(src);
  const filters: string[] = [];
  if (isPartial(range)) filters.push(`trim=start_frame=${range.first}:end_frame=${range.last + 1}`, 'setpts=PTS-STARTPTS');
  // an explicit size pins the byte layout of every frame we read. For an 8-bit 4:2:0 source of
  // that size the scaler passes frames through untouched; others (10-bit, 4:2:2, 4:4:4, RGB)
  // are converted here, once, to 8-bit 4:2:0 with the same matrix (full range stays full for
  // yuvj sources; a 10-bit full-range source comes out limited, which is what we blend in).
  filters.push(`scale=${src.width}:${src.height}`, `format=${pixFmt}`);
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-i',
    ffmpegInputUrl(src.path),
    '-map',
    `0:${src.streamIndex}`,
    '-vf',
    filters.join(','),
    // one output frame per decoded frame, in decode order: never duplicate or drop to a rate
    '-vsync',
    'passthrough',
    '-f',
    'rawvideo',
    '-pix_fmt',
    pixFmt,
    'pipe:1',
  ];
}

/** The encoder reads frames padded to even sides (padding happens between the two processes). */
export function encoderArgs(src: OverlaySourceInfo, range: OverlayRange, outFile: string): string[] {
  const audio = audioPlan(src.audioCodecs);
  const pixFmt = pipePixelFormat(src);
  const even = evenSize(src.width, src.height);
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-y',
    '-f',
    'rawvideo',
    '-pix_fmt',
    pixFmt,
    '-s',
    `${even.w}x${even.h}`,
    '-framerate',
    src.fps,
    '-i',
    'pipe:0',
  ];
  if (audio !== 'none') {
    if (isPartial(range)) {
      const fps = parseRational(src.fps);
      args.push('-ss', (range.first / fps).toFixed(6), '-t', ((range.last - range.first + 1) / fps).toFixed(6));
    }
    args.push('-i', ffmpegInputUrl(src.path), '-map', '0:v:0', '-map', '1:a', '-c:a', audio === 'copy' ? 'copy' : 'aac');
  } else {
    args.push('-map', '0:v:0');
  }
  // libx264's defaults (preset medium, CRF 23): the same settings as a plain ffmpeg re-encode.
  // The same pixel format in and out: libx264 takes the frames without any conversion.
  args.push('-c:v', 'libx264', '-pix_fmt', pixFmt);
  if (src.colorTags.space) args.push('-colorspace', src.colorTags.space);
  if (src.colorTags.primaries) args.push('-color_primaries', src.colorTags.primaries);
  if (src.colorTags.transfer) args.push('-color_trc', src.colorTags.transfer);
  // the output is written under a temporary name, so the container is named explicitly
  args.push('-movflags', '+faststart', '-f', 'mp4', ffmpegInputUrl(outFile));
  return args;
}
