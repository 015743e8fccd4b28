// Row-major run-length encoding of a mask (the app's `Rle`): used by the core (masks, exports,
// imports) and by the renderer's paint tools, which encode an edited mask before sending it.
// Pure: no Node, no DOM.
import type { Rle } from '../api/contract';
import { RleError, checkSize } from './rle-validate';

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
  const n = mask.length;
  let current = 0; // 0 = background run, 1 = foreground run
  let runStart = 0;
  // Masks are long runs: skip 4 pixels at a time while a word cannot hold a change (all zero
  // bytes inside background, no zero byte inside foreground), then look at single bytes
  // only up to the next word boundary. About twice as fast as a per-pixel loop at 1080p.
  const words = (mask.byteOffset & 3) === 0 ? new Uint32Array(mask.buffer, mask.byteOffset, n >>> 2) : null;
  const wordCount = words ? words.length : 0;
  let i = 0;
  while (i < n) {
    if (words !== null && (i & 3) === 0) {
      let wi = i >>> 2;
      if (current === 0) {
        while (wi < wordCount && words[wi] === 0) wi++;
      } else {
        while (wi < wordCount) {
          const w = words[wi]!;
          if (((w - 0x01010101) & ~w & 0x80808080) !== 0) break;
          wi++;
        }
      }
      i = wi << 2;
      if (i >= n) break;
    }
    const end = words !== null ? Math.min(n, (i | 3) + 1) : n;
    for (; i < end; i++) {
      const v = mask[i] !== 0 ? 1 : 0;
      if (v !== current) {
        counts.push(i - runStart);
        runStart = i;
        current = v;
      }
    }
  }
  counts.push(n - runStart);
  return { h, w, counts };
}
