// The overlay's outlines: a mask's edge ring, painted into a label map so the blend can treat
// edge pixels like any other pixel (full-strength colour) when it averages chroma per 2×2 block.
import type { Rle } from '../../api/contract';
import type { Bbox } from '../masks/rle';
import { paintRle } from './rle-paint';

/** Edge width that stays visible after scaling: 1 px up to ~600 px frames, 3 px at 1080p. */
export function outlineWidth(w: number, h: number): number {
  return Math.max(1, Math.round(Math.min(w, h) / 400));
}

/**
 * Sets `value` at `offset + y·stride + x` for every edge pixel of `rle`: foreground pixels
 * within `width` pixels (chessboard distance) of background or of the mask's border, i.e. the
 * mask minus its erosion. Worked on a crop of the mask's box with a one-pixel empty margin, so
 * the frame border counts as background and no bounds checks are needed.
 */
export function paintEdge(rle: Rle, box: Bbox | null, width: number, target: Uint8Array | Uint16Array, value: number, stride: number, offset: number): void {
  if (!box) return;
  const [bx, by, bw, bh] = box;
  const cw = bw + 2;
  const ch = bh + 2;
  const mask = new Uint8Array(cw * ch);
  paintRle(rle, mask, 1, cw, (1 - by) * cw + (1 - bx));
  let inner: Uint8Array = mask;
  for (let k = 0; k < width; k++) inner = erode(inner, cw, ch);
  for (let y = 1; y < ch - 1; y++) {
    const row = offset + (by + y - 1) * stride + bx - 1;
    for (let x = 1, c = y * cw + 1; x < cw - 1; x++, c++) {
      if (mask[c] && !inner[c]) target[row + x] = value;
    }
  }
}

/** 3×3 erosion of a crop whose outer ring is empty. */
function erode(src: Uint8Array, cw: number, ch: number): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let y = 1; y < ch - 1; y++) {
    for (let p = y * cw + 1, end = y * cw + cw - 1; p < end; p++) {
      if (src[p] && src[p - 1] && src[p + 1] && src[p - cw] && src[p + cw] && src[p - cw - 1] && src[p - cw + 1] && src[p + cw - 1] && src[p + cw + 1]) {
        out[p] = 1;
      }
    }
  }
  return out;
}
