// COCO's run-length encoding, exactly as pycocotools (common/maskApi.c) reads and writes it.
// COCO runs go down the columns (Fortran order), unlike the app's row-major `Rle`, and the
// compressed form is a string: each count (from the fourth on, the difference to the count
// two places back, which keeps alternating bg/fg runs small) is written as signed 5-bit
// groups, low group first, one char per group = 48 + group, 0x20 set while more follow.
import type { Bbox } from './rle';

/** COCO RLE as JSON carries it: `counts` compressed (string) or uncompressed (numbers). */
export interface CocoRle {
  size: [number, number];
  counts: string | number[];
}

/**
 * Column-major COCO counts of a row-major 0/1 bitmap. `bbox` ([x, y, w, h] of the foreground)
 * only limits the scan: outside it everything is background.
 */
export function columnMajorCounts(bitmap: Uint8Array, w: number, h: number, bbox: Bbox | null): number[] {
  const total = w * h;
  if (!bbox) return [total];
  const box = { x0: bbox[0], y0: bbox[1], x1: bbox[0] + bbox[2] - 1, y1: bbox[1] + bbox[3] - 1 };
  const counts: number[] = [];
  let last = 0;
  let inside = false;
  for (let x = box.x0; x <= box.x1; x++) {
    for (let y = box.y0; y <= box.y1; y++) {
      const on = bitmap[y * w + x] !== 0;
      if (on !== inside) {
        const pos = x * h + y;
        counts.push(pos - last);
        last = pos;
        inside = on;
      }
    }
    // Pixels skipped between this column's box bottom and the next scanned pixel are background;
    // a run only continues across the break when there are none (box spans the full height).
    const gap = h - 1 - box.y1 + (x < box.x1 ? box.y0 : (w - 1 - box.x1) * h);
    if (inside && gap > 0) {
      const pos = x * h + box.y1 + 1;
      counts.push(pos - last);
      last = pos;
      inside = false;
    }
  }
  counts.push(total - last);
  return counts;
}

/** pycocotools rleToString. */
export function encodeCocoCounts(counts: readonly number[]): string {
  let s = '';
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i]!;
    if (i > 2) x -= counts[i - 2]!;
    let more = true;
    while (more) {
      // arithmetic on numbers, not 32-bit bit operators: counts of big frames must not wrap
      let c = ((x % 32) + 32) % 32;
      x = Math.floor(x / 32);
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      s += String.fromCharCode(c + 48);
    }
  }
  return s;
}

/** pycocotools rleFrString; throws on characters outside the alphabet or a truncated count. */
export function decodeCocoCounts(s: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let scale = 1;
    let more = true;
    while (more) {
      if (p >= s.length) throw new Error(`COCO RLE string ends inside a count at char ${p}`);
      const c = s.charCodeAt(p) - 48;
      if (c < 0 || c > 63) throw new Error(`COCO RLE string has an invalid char ${JSON.stringify(s[p])} at ${p}`);
      x += (c & 0x1f) * scale;
      scale *= 32;
      more = (c & 0x20) !== 0;
      p++;
      if (!more && c & 0x10) x -= scale; // sign-extend the last group
    }
    if (counts.length > 2) x += counts[counts.length - 2]!;
    counts.push(x);
  }
  return counts;
}

/** Decode COCO RLE (either form) to a row-major 0/1 bitmap of size [h, w]. */
export function cocoRleToBitmap(rle: CocoRle): { w: number; h: number; bitmap: Uint8Array } {
  const [h, w] = rle.size;
  const counts = typeof rle.counts === 'string' ? decodeCocoCounts(rle.counts) : rle.counts;
  const total = counts.reduce((a, b) => a + b, 0);
  if (total !== w * h) throw new Error(`COCO RLE counts sum to ${total}, expected ${h}×${w} = ${w * h}`);
  const bitmap = new Uint8Array(w * h);
  let pos = 0;
  for (let i = 0; i < counts.length; i++) {
    const end = pos + counts[i]!;
    if (i % 2 === 1) {
      for (let p = pos; p < end; p++) bitmap[(p % h) * w + Math.floor(p / h)] = 1;
    }
    pos = end;
  }
  return { w, h, bitmap };
}
