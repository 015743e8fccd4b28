// The app's mask format: row-major run lengths (`Rle` in the API contract). Counts alternate
// background/foreground and always start with background (a leading 0 when the first pixel is
// foreground), so a mask is never ambiguous and the counts always sum to h × w.
// Geometry (area, bbox, IoU) and the SQLite blob codec live in their own files; this is the
// one entry other code imports.
import type { Rle } from '../../api/contract';

export type { Rle };
export { rleArea, rleBbox, rleIou, type Bbox } from './rle-geometry';
export { packRle, unpackRle, RLE_BLOB_VERSION } from './rle-codec';
export { RleError, validateRle } from '../../shared/rle-validate';
export { encodeMask } from '../../shared/mask-encode';
import { RleError, checkSize, validateRle } from '../../shared/rle-validate';

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
