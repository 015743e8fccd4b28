// The overlay works on the decoder's own yuv420p frames instead of RGB: no colour conversion on
// the way in or out, and half the bytes through each pipe. These are the pure pieces of that:
// the overlay colour in the source's Y'CbCr, the byte layout of a frame, and padding odd sizes.
import type { Rgb } from './plan';

/** Colour matrices we convert the overlay colour with (ffprobe `color_space` names map onto these). */
export type YuvMatrix = 'bt709' | 'bt601' | 'bt2020';
/** limited = "TV" range (Y 16..235, C 16..240, yuv420p); full = "PC"/JPEG range (0..255, yuvj420p) */
export type YuvRange = 'limited' | 'full';

/** Luma weights Kr, Kb of each matrix (Kg = 1 − Kr − Kb). */
const LUMA_WEIGHTS: Record<YuvMatrix, [number, number]> = {
  bt601: [0.299, 0.114],
  bt709: [0.2126, 0.0722],
  bt2020: [0.2627, 0.0593],
};

const clampByte = (v: number) => Math.min(255, Math.max(0, Math.round(v)));

/** An 8-bit RGB colour as 8-bit Y'CbCr with `matrix` and `range`, the way the source's own pixels are stored. */
export function rgbToYcbcr([r, g, b]: Rgb, matrix: YuvMatrix, range: YuvRange): [number, number, number] {
  const [kr, kb] = LUMA_WEIGHTS[matrix];
  const y = (kr * r + (1 - kr - kb) * g + kb * b) / 255;
  const pb = (b / 255 - y) / (2 * (1 - kb));
  const pr = (r / 255 - y) / (2 * (1 - kr));
  if (range === 'limited') return [clampByte(16 + 219 * y), clampByte(128 + 224 * pb), clampByte(128 + 224 * pr)];
  return [clampByte(255 * y), clampByte(128 + 255 * pb), clampByte(128 + 255 * pr)];
}

/** Luma of black: what padding rows and columns are filled with. */
export function blackLuma(range: YuvRange): number {
  return range === 'limited' ? 16 : 0;
}

export interface Yuv420Layout {
  width: number;
  height: number;
  /** chroma planes are ceil(w/2) × ceil(h/2): an odd last column/row has its own chroma samples */
  chromaWidth: number;
  chromaHeight: number;
  /** byte offsets of the Cb and Cr planes (the Y plane starts at 0) */
  uOffset: number;
  vOffset: number;
  /** bytes of one frame as ffmpeg's rawvideo muxer writes it (planes packed, no row padding) */
  bytes: number;
}

export function yuv420Layout(width: number, height: number): Yuv420Layout {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`a yuv420p frame needs a positive integer size, got ${width}×${height}`);
  }
  const chromaWidth = Math.ceil(width / 2);
  const chromaHeight = Math.ceil(height / 2);
  const uOffset = width * height;
  const vOffset = uOffset + chromaWidth * chromaHeight;
  return { width, height, chromaWidth, chromaHeight, uOffset, vOffset, bytes: vOffset + chromaWidth * chromaHeight };
}

/**
 * An odd-sized yuv420p frame as the next even size, with one black luma column/row at the
 * right/bottom. The chroma planes are already ceil(w/2) × ceil(h/2), so they are copied as
 * they are: the real pixels keep their exact bytes (padding in ffmpeg would either drop the
 * odd column or go through another pixel format).
 */
export function padYuv420ToEven(src: Uint8Array, width: number, height: number, range: YuvRange): Buffer {
  const from = yuv420Layout(width, height);
  if (src.length !== from.bytes) throw new Error(`yuv420p frame holds ${src.length} bytes, expected ${from.bytes} for ${width}×${height}`);
  const to = yuv420Layout(width + (width % 2), height + (height % 2));
  const out = Buffer.alloc(to.bytes, blackLuma(range));
  for (let y = 0; y < height; y++) out.set(src.subarray(y * width, (y + 1) * width), y * to.width);
  out.set(src.subarray(from.uOffset), to.uOffset);
  return out;
}
