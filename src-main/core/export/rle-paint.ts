// Export-side use of the app's row-major `Rle`: checking a stored mask against the video, and
// painting its runs straight into bigger buffers (PNG scanlines, label maps, RGB frames)
// without decoding to a bitmap first. Decoding, area and bbox come from core/masks.
import type { Rle } from '../../api/contract';
import { validateRle } from '../masks/rle';

/** Throws a clear error, prefixed with `what`, when `rle` is not a well-formed `w`×`h` mask. */
export function checkRle(rle: Rle, w: number, h: number, what: string): void {
  try {
    validateRle(rle);
  } catch (err) {
    throw new Error(`${what}: ${(err as Error).message}`);
  }
  if (rle.w !== w || rle.h !== h) throw new Error(`${what}: mask is ${rle.w}×${rle.h}, the video is ${w}×${h}`);
}

/**
 * Calls `run(start, end)` for each foreground run (row-major pixel offsets, end exclusive).
 * Runs may wrap across rows.
 */
export function forEachForegroundRun(rle: Rle, run: (start: number, end: number) => void): void {
  let pos = 0;
  const counts = rle.counts;
  for (let i = 0; i < counts.length; i++) {
    const end = pos + counts[i]!;
    if (i % 2 === 1 && end > pos) run(pos, end);
    pos = end;
  }
}

/** Sets `value` at `offset + pixel` for every foreground pixel (`stride` = elements per row in the target). */
export function paintRle(rle: Rle, target: Uint8Array | Uint16Array, value: number, stride = rle.w, offset = 0): void {
  const w = rle.w;
  if (stride === w && offset === 0) {
    forEachForegroundRun(rle, (start, end) => target.fill(value, start, end));
    return;
  }
  forEachForegroundRun(rle, (start, end) => {
    let p = start;
    while (p < end) {
      const y = Math.floor(p / w);
      const rowEnd = Math.min(end, (y + 1) * w);
      const base = offset + y * stride - y * w;
      target.fill(value, base + p, base + rowEnd);
      p = rowEnd;
    }
  });
}
