// Paints masks over one decoded RGB24 frame, in place. Pixels outside every mask are never
// written, so a frame without masks leaves here byte-identical.
import type { Rle } from '../../api/contract';
import { rleBbox, type Bbox } from '../masks/rle';
import { forEachForegroundRun, paintRle } from './rle-paint';
import type { Rgb } from './plan';

export interface BlendLayer {
  rle: Rle;
  color: Rgb;
}

export interface BlendStyle {
  /** 0..1 fill opacity */
  opacity: number;
  /** also draw each mask's edge in its colour at full strength */
  outlines: boolean;
}

/** Edge width that stays visible after scaling: 1 px up to ~600 px frames, 3 px at 1080p. */
export function outlineWidth(w: number, h: number): number {
  return Math.max(1, Math.round(Math.min(w, h) / 400));
}

/**
 * Where layers overlap, the later one owns the pixel: each pixel is blended once, with the
 * colour of its top layer, so overlaps look like any other masked pixel.
 */
export function blendFrame(rgb: Uint8Array, w: number, h: number, layers: readonly BlendLayer[], style: BlendStyle): void {
  if (rgb.length !== w * h * 3) throw new Error(`frame holds ${rgb.length} bytes, expected ${w}×${h}×3`);
  // fixed point: alpha in 1/256 steps keeps the inner loop in integers
  const a = Math.round(style.opacity * 256);
  const keep = 256 - a;
  const boxes = layers.map((l) => rleBbox(l.rle));
  // who owns each pixel is only worth a full-frame map when some masks can overlap at all
  let owner: Uint16Array | null = null;
  if (a > 0 && anyOverlap(boxes)) {
    owner = new Uint16Array(w * h);
    layers.forEach((l, i) => paintRle(l.rle, owner!, i + 1));
  }
  layers.forEach((layer, i) => {
    if (a === 0) return;
    const [r, g, b] = layer.color;
    const ra = r * a + 128;
    const ga = g * a + 128;
    const ba = b * a + 128;
    forEachForegroundRun(layer.rle, (start, end) => {
      for (let p = start; p < end; p++) {
        if (owner && owner[p] !== i + 1) continue;
        const k = p * 3;
        rgb[k] = (rgb[k]! * keep + ra) >> 8;
        rgb[k + 1] = (rgb[k + 1]! * keep + ga) >> 8;
        rgb[k + 2] = (rgb[k + 2]! * keep + ba) >> 8;
      }
    });
  });
  if (style.outlines) layers.forEach((l, i) => paintOutline(rgb, l.rle, boxes[i]!, l.color, outlineWidth(w, h)));
}

function anyOverlap(boxes: (Bbox | null)[]): boolean {
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const p = boxes[i];
      const q = boxes[j];
      if (p && q && p[0] < q[0] + q[2] && q[0] < p[0] + p[2] && p[1] < q[1] + q[3] && q[1] < p[1] + p[3]) return true;
    }
  }
  return false;
}

// Edge = foreground pixels within `width` pixels (chessboard distance) of background or of the
// frame border: the mask minus its erosion. Worked on a crop of the mask's box with a one-pixel
// empty margin, so the frame border counts as background and no bounds checks are needed.
function paintOutline(rgb: Uint8Array, rle: Rle, box: Bbox | null, [r, g, b]: Rgb, width: number): void {
  if (!box) return;
  const [bx, by, bw, bh] = box;
  const cw = bw + 2;
  const ch = bh + 2;
  const mask = new Uint8Array(cw * ch);
  paintRle(rle, mask, 1, cw, (1 - by) * cw + (1 - bx));
  let inner: Uint8Array = mask;
  for (let k = 0; k < width; k++) inner = erode(inner, cw, ch);
  for (let y = 1; y < ch - 1; y++) {
    for (let x = 1; x < cw - 1; x++) {
      const c = y * cw + x;
      if (mask[c] && !inner[c]) {
        const k = ((by + y - 1) * rle.w + bx + x - 1) * 3;
        rgb[k] = r;
        rgb[k + 1] = g;
        rgb[k + 2] = b;
      }
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
