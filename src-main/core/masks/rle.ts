// The app's mask format: row-major run lengths (`Rle` in the API contract). Counts alternate
// background/foreground and always start with background (a leading 0 when the first pixel is
// foreground), so a mask is never ambiguous and the counts always sum to h × w.
// Geometry (area, bbox, IoU) and the SQLite blob codec live in their own files; this is the
// one entry other code imports.
import type { Rle } from '../../api/contract';

export type { Rle };
export { rleArea, rleBbox, rleIou, type Bbox } from './rle-geometry';
export { packRle, unpackRle, RLE_BLOB_VERSION } from './rle-codec';
export { RleError, validateRle } from './rle-validate';
import { RleError, checkSize, validateRle } from './rle-validate';

/**
 * Run-length encode a row-major mask of h × w pixels. Any non-zero byte is foreground, so
 * 0/1 and 0/255 masks both work.
 */
export function encodeMask(mask: Uint8Array, h: number, w: number): Rle {
  checkSize(h, w);
  if (mask.length !== h * w) {
    throw new RleError(`mask has ${mask.length} pixels but ${h}×${w} needs ${h * w}`);
  }
  const counts: number[] = [];
  let current = 0; // 0 = background run, 1 = foreground run
  let run = 0;
  const n = mask.length;
  for (let i = 0; i < n; i++) {
    const v = mask[i] !== 0 ? 1 : 0;
    if (v !== current) {
      counts.push(run);
      run = 0;
      current = v;
    }
    run++;
  }
  counts.push(run);
  return { h, w, counts };
}

/** Decode to a 0/1 mask of h × w bytes (into `out` when given, which must be that size). */
export function decodeMask(rle: Rle, out?: Uint8Array): Uint8Array {
  validateRle(rle);
  const n = rle.h * rle.w;
  if (out && out.length !== n) throw new RleError(`output buffer has ${out.length} bytes, the mask needs ${n}`);
  const mask = out ?? new Uint8Array(n);
  let pos = 0;
  for (let k = 0; k < rle.counts.length; k++) {
    const c = rle.counts[k]!;
    // Background runs must also be written when reusing a buffer.
    mask.fill(k & 1, pos, pos + c);
    pos += c;
  }
  return mask;
}

/** An all-background mask. */
export function emptyRle(h: number, w: number): Rle {
  checkSize(h, w);
  return { h, w, counts: [h * w] };
}
