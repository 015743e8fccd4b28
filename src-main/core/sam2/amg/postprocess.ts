// postprocess_small_regions (SAM 1's step, kept in the SAM 2 class): holes then islands smaller
// than `minArea` video pixels are removed from every mask, boxes are recomputed, and box NMS
// runs again with score 1 for unchanged and 0 for changed masks, so a mask that needed no
// clean-up wins over a cleaned-up duplicate. Kept changed masks get their new RLE and box.
import { decodeMask, encodeMask } from '../../masks/rle';
import type { Candidate } from './batch';
import { maskToBox } from './boxes';
import { removeSmallRegions } from './components';
import { nms } from './nms';

export function postprocessSmallRegions(items: Candidate[], minArea: number, nmsThresh: number): Candidate[] {
  if (items.length === 0) return items;
  const cleaned = items.map((c) => {
    const { h, w } = c.rle;
    const holes = removeSmallRegions(decodeMask(c.rle), h, w, minArea, 'holes');
    const islands = removeSmallRegions(holes.mask, h, w, minArea, 'islands');
    return { mask: islands.mask, unchanged: !holes.changed && !islands.changed };
  });
  const boxes = cleaned.map((c, i) => maskToBox(c.mask, items[i]!.rle.h, items[i]!.rle.w));
  const keep = nms(
    boxes,
    cleaned.map((c) => (c.unchanged ? 1 : 0)),
    nmsThresh,
  );
  return keep.map((i) => {
    const c = items[i]!;
    if (cleaned[i]!.unchanged) return c;
    return { ...c, rle: encodeMask(cleaned[i]!.mask, c.rle.h, c.rle.w), box: boxes[i]! };
  });
}
