// Videos generated in the test with ffmpeg, so tests never depend on files in the repo.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { requireTool } from '../../src-main/core/video/ffmpeg-tools';

export function ffmpegPath(): string {
  return requireTool('ffmpeg').path;
}

export function ffprobePath(): string {
  return requireTool('ffprobe').path;
}

export function tempDir(prefix = 'maskline-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface MakeVideoOptions {
  width?: number;
  height?: number;
  fps?: number;
  frames?: number;
  /** 'colors': each frame a flat colour that encodes its index (see frameColor); 'testsrc': ffmpeg's test pattern */
  pattern?: 'colors' | 'testsrc' | 'shapes';
  codec?: 'libx264' | 'mjpeg' | 'mpeg4';
  pixFmt?: string;
  audio?: boolean;
  /** rotation metadata in degrees (rotate tag, written by a stream-copy remux) */
  rotate?: number;
  extraArgs?: string[];
}

/**
 * The colour of frame i in the 'colors' pattern. Channels step by 40 so they survive
 * H.264 and JPEG: r encodes i % 6, g encodes floor(i / 6) % 6, b encodes floor(i / 36) % 6.
 */
export function frameColor(i: number): [number, number, number] {
  const r = (i % 6) * 40 + 20;
  const g = (Math.floor(i / 6) % 6) * 40 + 20;
  const b = (Math.floor(i / 36) % 6) * 40 + 20;
  return [r, g, b];
}

/** Inverse of frameColor, tolerant to codec noise. */
export function frameFromColor([r, g, b]: [number, number, number]): number {
  const q = (v: number) => Math.max(0, Math.min(5, Math.round((v - 20) / 40)));
  return q(r) + 6 * q(g) + 36 * q(b);
}

/** Writes a video to `out` and returns its path. */
export function makeVideo(out: string, opts: MakeVideoOptions = {}): string {
  const w = opts.width ?? 320;
  const h = opts.height ?? 240;
  const fps = opts.fps ?? 25;
  const n = opts.frames ?? 50;
  const pattern = opts.pattern ?? 'colors';
  // testsrc keeps odd sizes (the bundled ffmpeg's color source rounds them to even);
  // the filters below paint over every pixel of it.
  const args: string[] = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${w}x${h}:rate=${fps}`];
  if (opts.audio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${n / fps}`);
  if (pattern === 'colors') {
    // geq paints every pixel of frame N with frameColor(N).
    const ch = (div: number) => `mod(floor(N/${div}),6)*40+20`;
    args.push('-vf', `format=rgb24,geq=r='${ch(1)}':g='${ch(6)}':b='${ch(36)}'`);
  } else if (pattern === 'shapes') {
    // A white square moving right over a dark background: easy objects for SAM.
    const side = Math.round(Math.min(w, h) / 4);
    args.push(
      '-vf',
      `drawbox=x=0:y=0:w=iw:h=ih:color=0x202830:t=fill,` +
        `drawbox=x='mod(${side}/2+t*${fps * 3}\\,${w - side})':y=${Math.round(h / 2 - side / 2)}:w=${side}:h=${side}:color=white:t=fill`,
    );
  }
  args.push('-frames:v', String(n));
  if (opts.audio) args.push('-map', '0:v', '-map', '1:a', '-c:a', 'aac', '-shortest');
  const codec = opts.codec ?? 'libx264';
  args.push('-c:v', codec);
  if (codec === 'libx264') args.push('-preset', 'ultrafast', '-qp', '10', '-g', '10');
  if (codec === 'mjpeg') args.push('-q:v', '2');
  args.push('-pix_fmt', opts.pixFmt ?? (codec === 'mjpeg' ? 'yuvj420p' : w % 2 || h % 2 ? 'yuv444p' : 'yuv420p'));
  if (opts.extraArgs) args.push(...opts.extraArgs);
  // The bundled ffmpeg writes a rotate tag only when stream-copying, so rotation is a second, remuxing pass.
  const encoded = opts.rotate ? `${out}.unrotated${extname(out)}` : out;
  args.push(encoded);
  execFileSync(ffmpegPath(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (opts.rotate) {
    execFileSync(
      ffmpegPath(),
      ['-hide_banner', '-loglevel', 'error', '-y', '-i', encoded, '-map', '0', '-c', 'copy', '-metadata:s:v:0', `rotate=${opts.rotate}`, out],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    rmSync(encoded, { force: true });
  }
  return out;
}
