// Image → CLIP's pixel_values, reproducing transformers' CLIPImageProcessor exactly:
// 1. resize so the short side is `shortestEdge`, long side int(edge · long / short) (truncated),
//    with torch's uint8 antialiased bicubic (a = −0.5), the engine's resampler with the cubic kernel;
// 2. centre crop at top = floor((H − ch) / 2), left = floor((W − cw) / 2) (padding with zeros when
//    the resized image is smaller than the crop, as transformers does);
// 3. (u8 / 255 − mean) / std, channels first: the engine's normaliser.
import { normalizeToPixelValues, type RgbFrame } from '../sam2/preprocess';
import { resizeRgbU8 } from '../sam2/resize-rgb-u8';
import type { ClipPreprocessConfig } from './clip-folder';

/** The resized size for a short-side resize (W, H). Pure. */
export function shortSideSize(width: number, height: number, edge: number): { width: number; height: number } {
  if (width <= height) return { width: edge, height: Math.trunc((edge * height) / width) };
  return { width: Math.trunc((edge * width) / height), height: edge };
}

/** Resize + centre crop, uint8 HWC (what the fixture's crop_u8_ref holds). */
export function resizeAndCrop(img: RgbFrame, c: ClipPreprocessConfig): Uint8Array {
  const size = shortSideSize(img.width, img.height, c.shortestEdge);
  const resized = resizeRgbU8(img.data, img.width, img.height, size.width, size.height, 'bicubic');
  const ch = c.cropHeight;
  const cw = c.cropWidth;
  const top = Math.floor((size.height - ch) / 2);
  const left = Math.floor((size.width - cw) / 2);
  const out = new Uint8Array(ch * cw * 3);
  for (let y = 0; y < ch; y++) {
    const sy = y + top;
    if (sy < 0 || sy >= size.height) continue;
    for (let x = 0; x < cw; x++) {
      const sx = x + left;
      if (sx < 0 || sx >= size.width) continue;
      const s = (sy * size.width + sx) * 3;
      const o = (y * cw + x) * 3;
      out[o] = resized[s]!;
      out[o + 1] = resized[s + 1]!;
      out[o + 2] = resized[s + 2]!;
    }
  }
  return out;
}

/** Writes one image's [3, ch, cw] pixel_values into `out` (a slice of the batch tensor). */
export function pixelValues(img: RgbFrame, c: ClipPreprocessConfig, out?: Float32Array<ArrayBuffer>): Float32Array {
  if (c.cropHeight !== c.cropWidth) throw new Error(`non-square crop ${c.cropWidth}x${c.cropHeight} is not supported`);
  return normalizeToPixelValues(resizeAndCrop(img, c), c.cropWidth, c.mean, c.std, out);
}
