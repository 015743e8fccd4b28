// The non-overlapping view of a set of proposals: every pixel goes to the highest-scoring mask
// that covers it (by default the predicted IoU; equal scores go to the earlier proposal), as a
// label map (proposal index + 1, 0 where no mask is), and each proposal's visible part as RLE
// so the UI can draw the view with its ordinary mask renderer.
import type { Rle } from '../api/contract';

/** Label map of h × w pixels; painted from the lowest score up, so higher scores end on top. */
export function labelView(masks: readonly { segmentation: Rle }[], scores: readonly number[], h: number, w: number): Int32Array {
  if (scores.length !== masks.length) throw new Error(`labelView: ${masks.length} masks but ${scores.length} scores`);
  const labels = new Int32Array(h * w);
  const score = (i: number) => (Number.isNaN(scores[i]) ? -Infinity : scores[i]!);
  const order = masks.map((_, i) => i).sort((a, b) => score(a) - score(b) || b - a);
  for (const i of order) {
    const rle = masks[i]!.segmentation;
    if (rle.h !== h || rle.w !== w) throw new Error(`labelView: mask ${i} is ${rle.w}x${rle.h}, the view is ${w}x${h}`);
    let pos = 0;
    for (let k = 0; k < rle.counts.length; k++) {
      const c = rle.counts[k]!;
      if (k & 1) labels.fill(i + 1, pos, pos + c);
      pos += c;
    }
  }
  return labels;
}

/** The visible part of each of n proposals in a label map, as row-major RLE (empty when hidden). */
export function labelViewMasks(labels: Int32Array, n: number, h: number, w: number): Rle[] {
  const starts: number[][] = Array.from({ length: n }, () => []);
  // one pass over the map: runs of equal labels, recorded per label as [start, length]
  let i = 0;
  while (i < labels.length) {
    const l = labels[i]!;
    let j = i + 1;
    while (j < labels.length && labels[j] === l) j++;
    if (l > 0) starts[l - 1]!.push(i, j - i);
    i = j;
  }
  return starts.map((runs) => {
    const counts: number[] = [];
    let pos = 0;
    for (let k = 0; k < runs.length; k += 2) {
      counts.push(runs[k]! - pos, runs[k + 1]!);
      pos = runs[k]! + runs[k + 1]!;
    }
    counts.push(h * w - pos);
    return { h, w, counts };
  });
}
