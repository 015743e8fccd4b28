// Frame → the image encoder's `pixel_values` [1,3,S,S] (float32, RGB planes).
// Resize with the reference's uint8 antialiased bilinear (resize-rgb-u8.ts; identity when the
// frame already is S×S), then transformers' fused rescale + normalise in float32:
// (x − fround(fround(mean)·255)) / fround(fround(std)·255).
// Both happen in one pass: the resampler looks each resized byte up in its channel's table as it
// writes the plane (no intermediate S×S image, no strided reads).
import { resizeRgbPlanes, type ResizeFilter } from './resize-rgb-u8';

const fr = Math.fround;

/** RGB frame, interleaved row-major (HWC), uint8. */
export interface RgbFrame {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Per channel, the normalised float32 value of each of the 256 byte values (one lookup per pixel). */
export function normalisationTables(mean: readonly number[], std: readonly number[]): Float32Array[] {
  return [0, 1, 2].map((c) => {
    // transformers fuses rescale into normalise: float32 tensor(mean) · (1 / (1/255)), in float32
    const m = fr(fr(mean[c]!) * 255);
    const s = fr(fr(std[c]!) * 255);
    const lut = new Float32Array(256);
    for (let v = 0; v < 256; v++) lut[v] = fr(fr(v - m) / s);
    return lut;
  });
}

/**
 * Resizes an RGB frame to outW × outH with the uint8 resampler and writes it normalised, channels
 * first ([3, outH, outW]), into `out`: one pass, the tables applied as each resized row is written.
 */
export function resizeNormalize(
  frame: RgbFrame,
  outW: number,
  outH: number,
  filter: ResizeFilter,
  mean: readonly number[],
  std: readonly number[],
  out = new Float32Array(3 * outW * outH),
): Float32Array {
  return resizeRgbPlanes(frame.data, frame.width, frame.height, outW, outH, filter, normalisationTables(mean, std), out);
}

/** An S×S interleaved uint8 image → pixel_values (no resize). */
export function normalizeToPixelValues(
  rgb: Uint8Array,
  size: number,
  mean: readonly number[],
  std: readonly number[],
  out = new Float32Array(3 * size * size),
): Float32Array {
  const plane = size * size;
  if (rgb.length !== plane * 3) throw new Error(`normalizeToPixelValues: expected ${plane * 3} bytes, got ${rgb.length}`);
  return resizeNormalize({ width: size, height: size, data: rgb }, size, size, 'bilinear', mean, std, out);
}

export function preprocessFrame(
  frame: RgbFrame,
  size: number,
  mean: readonly number[],
  std: readonly number[],
  out = new Float32Array(3 * size * size),
): Float32Array {
  return resizeNormalize(frame, size, size, 'bilinear', mean, std, out);
}
