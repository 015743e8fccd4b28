// The image CLIP sees for one mask. As the SAM 2 + CLIP tutorial does by default: the frame cut
// to the mask's bounding box. Options: a margin around the box (a fraction of the box's size per
// side), greying out pixels outside the mask, and padding to a square before CLIP's centre crop
// so a long object is not cut (on by default; off is the tutorial's crop exactly).
import { decodeMask, rleBbox, type Rle } from '../masks/rle';
import type { RgbFrame } from '../sam2/preprocess';
import { LabelsError } from './errors';

export interface CropOptions {
  /** extra border per side as a fraction of the box's width/height (0 = tight box) */
  margin: number;
  /** replace pixels outside the mask with the fill colour */
  greyOutside: boolean;
  /** pad the crop to a square (centred) with the fill colour */
  padSquare: boolean;
}

export const DEFAULT_CROP: CropOptions = { margin: 0, greyOutside: false, padSquare: true };

/** CLIP's mean colour: after normalisation it is ≈ 0, so grey-out and padding add no signal. */
export const FILL_RGB: readonly [number, number, number] = [123, 117, 104];

export function resolveCropOptions(o: Partial<CropOptions> = {}): CropOptions {
  const c = { ...DEFAULT_CROP, ...o };
  if (!Number.isFinite(c.margin) || c.margin < 0 || c.margin > 2)
    throw new LabelsError('BAD_CROP', `crop margin must be between 0 and 2 (a fraction of the box), got ${c.margin}`);
  return c;
}

/** The crop rectangle [x, y, w, h] for a mask box and margin, clamped to the frame. Pure. */
export function cropRect(box: readonly [number, number, number, number], margin: number, width: number, height: number): [number, number, number, number] {
  const [bx, by, bw, bh] = box;
  const mx = Math.round(bw * margin);
  const my = Math.round(bh * margin);
  const x0 = Math.max(0, bx - mx);
  const y0 = Math.max(0, by - my);
  const x1 = Math.min(width, bx + bw + mx);
  const y1 = Math.min(height, by + bh + my);
  return [x0, y0, x1 - x0, y1 - y0];
}

/** The crop of `frame` for `mask` (same size as the frame), or null for an empty mask. */
export function cropForMask(frame: RgbFrame, mask: Rle, options: Partial<CropOptions> = {}): RgbFrame | null {
  if (mask.w !== frame.width || mask.h !== frame.height) {
    throw new LabelsError('BAD_CROP', `mask is ${mask.w}x${mask.h} but the frame is ${frame.width}x${frame.height}`);
  }
  const o = resolveCropOptions(options);
  const box = rleBbox(mask);
  if (!box) return null;
  const [x0, y0, cw, ch] = cropRect(box, o.margin, frame.width, frame.height);
  const side = o.padSquare ? Math.max(cw, ch) : 0;
  const outW = o.padSquare ? side : cw;
  const outH = o.padSquare ? side : ch;
  const ox = Math.floor((outW - cw) / 2);
  const oy = Math.floor((outH - ch) / 2);
  const out = new Uint8Array(outW * outH * 3);
  if (o.padSquare && (outW !== cw || outH !== ch)) for (let i = 0; i < outW * outH; i++) out.set(FILL_RGB, i * 3);
  const bits = o.greyOutside ? decodeMask(mask) : null;
  for (let y = 0; y < ch; y++) {
    const sy = y0 + y;
    for (let x = 0; x < cw; x++) {
      const sx = x0 + x;
      const o3 = ((oy + y) * outW + ox + x) * 3;
      if (bits && !bits[sy * frame.width + sx]) {
        out.set(FILL_RGB, o3);
        continue;
      }
      const s3 = (sy * frame.width + sx) * 3;
      out[o3] = frame.data[s3]!;
      out[o3 + 1] = frame.data[s3 + 1]!;
      out[o3 + 2] = frame.data[s3 + 2]!;
    }
  }
  return { width: outW, height: outH, data: out };
}
