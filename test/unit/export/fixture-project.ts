// Projects for the export tests: a real project store in a temp folder with a generated video
// and masks written straight into it, plus independent readers for what the export writes.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { openProjectStore, type ProjectStore } from '../../../src-main/core/store';
import { computeVideoKey, probeVideo } from '../../../src-main/core/video';
import { encodeMask } from '../../../src-main/core/masks/rle';
import { DAVIS_PALETTE } from '../../../src-main/core/export/davis-palette';
import { ffmpegPath, ffprobePath } from '../../helpers/make-video';

export interface FixtureMask {
  objectId: number;
  frame: number;
  bitmap: Uint8Array;
  score: number;
}

export async function makeProject(
  dir: string,
  videoPath: string,
  objects: { name: string; label: string; color?: string }[],
  masks: (store: ProjectStore, probe: { width: number; height: number }) => FixtureMask[],
): Promise<ProjectStore> {
  const store = openProjectStore(dir);
  const probe = await probeVideo(videoPath);
  const { key } = await computeVideoKey(videoPath);
  store.videos.upsert({ path: videoPath, key, probe });
  for (const o of objects) store.objects.add(o);
  store.masks.putMany(
    masks(store, probe).map((m) => ({
      objectId: m.objectId,
      frame: m.frame,
      rle: encodeMask(m.bitmap, probe.height, probe.width),
      score: m.score,
      source: 'propagated' as const,
    })),
  );
  return store;
}

/** Greyscale values of an 8-bit PNG, read by pngjs. */
export function readGreyPng(path: string): { width: number; height: number; values: Uint8Array } {
  const png = PNG.sync.read(readFileSync(path));
  const values = new Uint8Array(png.width * png.height);
  for (let i = 0; i < values.length; i++) values[i] = png.data[i * 4]!;
  return { width: png.width, height: png.height, values };
}

/** PNG chunk types and the IHDR colour type, read straight from the bytes. */
export function pngLayout(path: string): { chunks: string[]; colorType: number; bitDepth: number; plteEntries: number } {
  const b = readFileSync(path);
  const chunks: string[] = [];
  let plteEntries = 0;
  for (let p = 8; p < b.length;) {
    const len = b.readUInt32BE(p);
    const type = b.toString('latin1', p + 4, p + 8);
    chunks.push(type);
    if (type === 'PLTE') plteEntries = len / 3;
    p += 12 + len;
  }
  return { chunks, colorType: b[25]!, bitDepth: b[24]!, plteEntries };
}

/** Palette indices of an indexed PNG: pngjs expands to RGBA, the DAVIS palette maps back. */
export function readPaletteIndices(path: string): { width: number; height: number; indices: Uint8Array } {
  const png = PNG.sync.read(readFileSync(path));
  const byColor = new Map<number, number>();
  for (let i = 255; i >= 0; i--) byColor.set((DAVIS_PALETTE[i * 3]! << 16) | (DAVIS_PALETTE[i * 3 + 1]! << 8) | DAVIS_PALETTE[i * 3 + 2]!, i);
  const indices = new Uint8Array(png.width * png.height);
  for (let i = 0; i < indices.length; i++) {
    const key = (png.data[i * 4]! << 16) | (png.data[i * 4 + 1]! << 8) | png.data[i * 4 + 2]!;
    const idx = byColor.get(key);
    if (idx === undefined) throw new Error(`${path}: pixel ${i} has a colour outside the DAVIS palette`);
    indices[i] = idx;
  }
  return { width: png.width, height: png.height, indices };
}

export interface StreamFacts {
  codec_name: string;
  codec_type: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  r_frame_rate?: string;
  nb_read_frames?: string;
  duration?: string;
}

export function probeStreams(path: string): StreamFacts[] {
  const out = execFileSync(
    ffprobePath(),
    [
      '-v',
      'error',
      '-count_frames',
      '-show_entries',
      'stream=codec_name,codec_type,width,height,pix_fmt,r_frame_rate,nb_read_frames,duration',
      '-of',
      'json',
      path,
    ],
    { encoding: 'utf8' },
  );
  return (JSON.parse(out) as { streams: StreamFacts[] }).streams;
}

/** Every frame of a video as RGB24 (w × h × 3 bytes each). */
export function decodeRgbFrames(path: string, w: number, h: number): Buffer[] {
  const raw = execFileSync(ffmpegPath(), ['-v', 'error', '-i', path, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 30 });
  const size = w * h * 3;
  const frames: Buffer[] = [];
  for (let o = 0; o + size <= raw.length; o += size) frames.push(raw.subarray(o, o + size));
  return frames;
}

/**
 * Copy of `video` with a sine tone as AAC audio. (makeVideo's own `audio` option puts the
 * video filters before the second input, which ffmpeg rejects.)
 */
export function withAudio(video: string, out: string, seconds: number): string {
  execFileSync(ffmpegPath(), [
    '-v',
    'error',
    '-y',
    '-i',
    video,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:sample_rate=44100:duration=${seconds}`,
    '-map',
    '0:v',
    '-map',
    '1:a',
    '-c:v',
    'copy',
    '-c:a',
    'aac',
    out,
  ]);
  return out;
}
