// Connected components and the two small-region clean-ups built on them:
// - lowResCleanup: what the official SAM 2 generator does with min_mask_region_area (it builds
//   its image predictor with max_hole_area = max_sprinkle_area = that area): on the decoder's
//   low-res logits, background components (≤ threshold) of at most `area` pixels get
//   threshold + 10, then foreground components (> threshold) of at most `area` get
//   threshold − 10; 8-connected (sam2 `get_connected_components`).
// - removeSmallRegions: SAM 1's remove_small_regions on a binary mask (cv2
//   connectedComponentsWithStats, 8-connected): 'holes' fills background components smaller
//   than the area, 'islands' drops foreground components smaller than it but keeps the largest
//   one when all are small.

import { labelComponents } from '../components';

function componentsWhere(logits: Float32Array, h: number, w: number, fg: boolean, threshold: number): { labels: Int32Array; sizes: number[] } {
  const on = new Uint8Array(logits.length);
  for (let i = 0; i < logits.length; i++) on[i] = logits[i]! > threshold === fg ? 1 : 0;
  return labelComponents(on, h, w);
}

/** The official SAM 2 hole filling then sprinkle removal on one low-res logit map (a new array). */
export function lowResCleanup(logits: Float32Array, h: number, w: number, area: number, threshold = 0): Float32Array {
  const out = logits.slice();
  if (!(area > 0)) return out;
  const t = Math.fround(threshold);
  const holes = componentsWhere(out, h, w, false, t);
  const fill = Math.fround(threshold + 10);
  for (let i = 0; i < out.length; i++) {
    const l = holes.labels[i]!;
    if (l > 0 && holes.sizes[l]! <= area) out[i] = fill;
  }
  const sprinkles = componentsWhere(out, h, w, true, t);
  const clear = Math.fround(threshold - 10);
  for (let i = 0; i < out.length; i++) {
    const l = sprinkles.labels[i]!;
    if (l > 0 && sprinkles.sizes[l]! <= area) out[i] = clear;
  }
  return out;
}

/** SAM 1's remove_small_regions on a 0/1 mask; `changed` says whether anything was removed. */
export function removeSmallRegions(
  mask: Uint8Array,
  h: number,
  w: number,
  areaThresh: number,
  mode: 'holes' | 'islands',
): { mask: Uint8Array; changed: boolean } {
  const holes = mode === 'holes';
  const working = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) working[i] = (mask[i] ? 1 : 0) ^ (holes ? 1 : 0);
  const { labels, sizes } = labelComponents(working, h, w);
  const small = new Set<number>();
  for (let l = 1; l < sizes.length; l++) if (sizes[l]! < areaThresh) small.add(l);
  if (small.size === 0) return { mask, changed: false };
  // 'holes': the result is the mask's foreground (label 0 of the working mask) plus the small holes.
  // 'islands': the result is the components that are not small, or the largest one if all are.
  let inResult: (l: number) => boolean;
  if (holes) {
    inResult = (l) => l === 0 || small.has(l);
  } else {
    const big = sizes.map((_, l) => l).filter((l) => l > 0 && !small.has(l));
    if (big.length === 0) {
      let largest = 1;
      for (let l = 2; l < sizes.length; l++) if (sizes[l]! > sizes[largest]!) largest = l;
      big.push(largest);
    }
    const keep = new Set(big);
    inResult = (l) => keep.has(l);
  }
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < out.length; i++) out[i] = inResult(labels[i]!) ? 1 : 0;
  return { mask: out, changed: true };
}
