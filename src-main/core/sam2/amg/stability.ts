// The generator's stability score (calculate_stability_score in sam2/utils/amg.py): the IoU of
// the masks cut at threshold + offset and threshold − offset. The high cut is inside the low
// one, so the IoU is a ratio of two pixel counts. Computed on the upsampled logits (crop
// resolution), as the official generator does. Cut-offs are float32 (a Python scalar against a
// float32 tensor), the ratio is float32 (int32 / int32 true division), and an empty low cut
// gives NaN (0 / 0), which no threshold keeps.

import { stabilityCounts } from '../mask-decision';

export { stabilityCounts };

const fr = Math.fround;

/** inter / union in float32; NaN when the union is empty. */
export function stabilityFromCounts(inter: number, union: number): number {
  return fr(inter / union);
}

export function stabilityScore(logits: Float32Array, threshold: number, offset: number): number {
  const { inter, union } = stabilityCounts(logits, threshold, offset);
  return stabilityFromCounts(inter, union);
}
