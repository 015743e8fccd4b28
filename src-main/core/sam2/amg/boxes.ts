// Boxes of binary masks as the official generator computes them (batched_mask_to_box: the
// right/bottom edge is the last foreground column/row, inclusive; an empty mask gives
// [0,0,0,0]), the crop-edge filter and the XYXY → XYWH conversion of the output records.
import type { CropBox } from './grid';

/** [x0, y0, x1, y1] with x1/y1 the last foreground column/row (inclusive). */
export type BoxXyxy = [number, number, number, number];

/** Tight box of a row-major 0/1 mask; [0, 0, 0, 0] when it is empty. */
export function maskToBox(mask: Uint8Array, h: number, w: number): BoxXyxy {
  let top = -1;
  let bottom = -1;
  let left = w;
  let right = -1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let first = -1;
    for (let x = 0; x < w; x++) {
      if (mask[row + x]) {
        first = x;
        break;
      }
    }
    if (first < 0) continue;
    if (top < 0) top = y;
    bottom = y;
    if (first < left) left = first;
    // the row's last foreground pixel only matters when it could move the right edge
    for (let x = w - 1; x > right && x >= first; x--) {
      if (mask[row + x]) {
        right = x;
        break;
      }
    }
  }
  if (top < 0) return [0, 0, 0, 0];
  return [left, top, right, bottom];
}

/** Official XYWH: [x0, y0, x1 − x0, y1 − y0] (so a one-pixel-wide mask has width 0). */
export function boxXyxyToXywh(b: readonly number[]): [number, number, number, number] {
  return [b[0]!, b[1]!, b[2]! - b[0]!, b[3]! - b[1]!];
}

export function uncropBox(b: BoxXyxy, crop: CropBox): BoxXyxy {
  return [b[0] + crop[0], b[1] + crop[1], b[2] + crop[0], b[3] + crop[1]];
}

/**
 * is_box_near_crop_edge: a mask whose (frame-coordinate) box lies within `atol` pixels of an
 * edge of its crop that is not also an edge of the frame was cut by the crop; it is dropped.
 */
export function isBoxNearCropEdge(boxInCrop: BoxXyxy, crop: CropBox, frame: CropBox, atol = 20): boolean {
  const b = uncropBox(boxInCrop, crop);
  for (let k = 0; k < 4; k++) {
    const nearCrop = Math.abs(b[k]! - crop[k]!) <= atol;
    const nearFrame = Math.abs(b[k]! - frame[k]!) <= atol;
    if (nearCrop && !nearFrame) return true;
  }
  return false;
}

/** torchvision box_area of a crop box (exclusive edges): (x1 − x0)(y1 − y0). */
export function cropArea(c: CropBox): number {
  return (c[2] - c[0]) * (c[3] - c[1]);
}
