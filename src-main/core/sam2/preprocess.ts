// Frame → the image encoder's `pixel_values` [1,3,S,S] (float32, RGB planes).
// Resize with the reference's uint8 antialiased bilinear (resize-rgb-u8.ts; identity when the
// frame already is S×S), then transformers' fused rescale + normalise in float32:
// (x − fround(fround(mean)·255)) / fround(fround(std)·255).
import { resizeRgbU8 } from './resize-rgb-u8';

const fr = Math.fround;

/** RGB frame, interleaved row-major (HWC), uint8. */
export interface RgbFrame {
  width: number;
  height: number;
  data: Uint8Array;
}

export function normalizeToPixelValues(
  rgb: Uint8Array,
  size: number,
  mean: readonly number[],
  std: readonly number[],
  out = new Float32Array(3 * size * size),
): Float32Array {
  const plane = size * size;
  if (rgb.length !== plane * 3) throw new Error(`normalizeToPixelValues: expected ${plane * 3} bytes, got ${rgb.length}`);
  for (let c = 0; c < 3; c++) {
    // transformers fuses rescale into normalise: float32 tensor(mean) · (1 / (1/255)), in float32
    const m = fr(fr(mean[c]!) * 255);
    const s = fr(fr(std[c]!) * 255);
    // 256 possible inputs: a table keeps the per-pixel cost to one lookup
    const lut = new Float32Array(256);
    for (let v = 0; v < 256; v++) lut[v] = fr(fr(v - m) / s);
    const o = c * plane;
    for (let i = 0; i < plane; i++) out[o + i] = lut[rgb[i * 3 + c]!]!;
  }
  return out;
}

export function preprocessFrame(frame: RgbFrame, size: number, mean: readonly number[], std: readonly number[]): Float32Array {
  const rgb = frame.width === size && frame.height === size ? frame.data : resizeRgbU8(frame.data, frame.width, frame.height, size, size);
  return normalizeToPixelValues(rgb, size, mean, std);
}
