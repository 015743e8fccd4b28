// What makes an RLE well formed; shared by the encoder, the decoder and the blob codec. Pure:
// the renderer's mask encoder (shared/mask-encode) uses it too.
import type { Rle } from '../api/contract';
import { CodedError } from '../api/errors';

export class RleError extends CodedError<'INVALID_MASK'> {
  constructor(message: string) {
    super('INVALID_MASK', message);
  }
}

/** Throws RleError when the RLE is not a well-formed h × w mask. */
export function validateRle(rle: Rle): void {
  if (!rle || typeof rle !== 'object') throw new RleError('mask is not an object with h, w and counts');
  checkSize(rle.h, rle.w);
  if (!Array.isArray(rle.counts) || rle.counts.length === 0) throw new RleError('mask counts must be a non-empty array');
  let sum = 0;
  for (let k = 0; k < rle.counts.length; k++) {
    const c = rle.counts[k]!;
    // Zero-length runs are allowed anywhere (other encoders emit them); encodeMask only emits a leading one.
    if (!Number.isInteger(c) || c < 0) throw new RleError(`mask count #${k} is ${c}; counts must be integers ≥ 0`);
    sum += c;
  }
  if (sum !== rle.h * rle.w) throw new RleError(`mask counts sum to ${sum}, but ${rle.h}×${rle.w} has ${rle.h * rle.w} pixels`);
}

export function checkSize(h: number, w: number): void {
  if (!Number.isInteger(h) || !Number.isInteger(w) || h <= 0 || w <= 0) {
    throw new RleError(`mask size ${h}×${w} is not a positive integer size`);
  }
}
