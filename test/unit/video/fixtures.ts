// Odd video files for the video tests, generated with ffmpeg (never committed media).
// The shared make-video helper covers ordinary clips; these are the damaged and unusual ones.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { ffmpegPath } from '../../helpers/make-video';

function ff(args: string[]): void {
  execFileSync(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Rotation metadata by remuxing: encoding with `-metadata:s:v:0 rotate=` writes no display
 * matrix with the bundled ffmpeg build, stream copy does.
 */
export function withRotation(src: string, out: string, degrees: number): string {
  ff(['-i', src, '-c', 'copy', '-metadata:s:v:0', `rotate=${degrees}`, out]);
  return out;
}

/** Left half white, right half black: shows which way a rotation turned the picture. */
export function halfWhite(out: string, w: number, h: number, frames = 3): string {
  ff([
    '-f',
    'lavfi',
    '-i',
    `color=c=black:s=${w}x${h}:r=25`,
    '-vf',
    `drawbox=x=0:y=0:w=${w / 2}:h=${h}:color=white:t=fill`,
    '-frames:v',
    String(frames),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    out,
  ]);
  return out;
}

/** Variable frame rate: 10 frames at 25/4 fps, then `frames - 10` at 25 fps (timestamps kept as is). */
export function vfrClip(out: string, frames = 30): string {
  ff([
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=64x48:rate=25',
    '-vf',
    "setpts='if(lt(N,10),N*4,40+(N-10))/25/TB'",
    '-vsync',
    'vfr',
    '-frames:v',
    String(frames),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    out,
  ]);
  return out;
}

export function audioOnly(out: string): string {
  ff(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac', out]);
  return out;
}

export function stillImage(out: string): string {
  ff(['-f', 'lavfi', '-i', 'testsrc=size=64x48', '-frames:v', '1', out]);
  return out;
}

/** One frame of w × h (fast even at 8K with ultrafast). */
export function bigFrame(out: string, w: number, h: number): string {
  ff(['-f', 'lavfi', '-i', `color=c=gray:s=${w}x${h}:r=1`, '-frames:v', '1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', out]);
  return out;
}

/** An AVI whose fourcc no decoder knows: the bytes are a valid MPEG-4 stream under a made-up tag. */
export function unknownCodec(out: string): string {
  ff(['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=25', '-frames:v', '5', '-c:v', 'mpeg4', out]);
  const b = readFileSync(out);
  for (let i = 0; i + 4 <= b.length; i++) if (b.toString('latin1', i, i + 4) === 'FMP4') b.write('QZXW', i, 'latin1');
  writeFileSync(out, b);
  return out;
}

export function faststart(src: string, out: string): string {
  ff(['-i', src, '-c', 'copy', '-movflags', '+faststart', out]);
  return out;
}

/** The first `fraction` of a file, as an interrupted copy leaves it. */
export function truncated(src: string, out: string, fraction: number): string {
  const b = readFileSync(src);
  writeFileSync(out, b.subarray(0, Math.floor(b.length * fraction)));
  return out;
}

/** Video plus an audio track, in any container ffmpeg picks by extension. */
export function withAudio(out: string, frames = 20): string {
  ff([
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=64x48:rate=25',
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:duration=${frames / 25}`,
    '-frames:v',
    String(frames),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-c:a',
    'aac',
    out,
  ]);
  return out;
}
