// Paints masks over one decoded RGB24 frame, in place. Pixels outside every mask are never
// written, so a frame without masks leaves here byte-identical.
import type { Rle } from '../../api/contract';
import { decodeMask, rleBbox, type Bbox } from '../masks/rle';
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
  let owner: Uint16Array | null = null;
  if (a > 0 && layers.length > 1) {
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
  if (style.outlines) for (const layer of layers) paintOutline(rgb, layer.rle, layer.color, outlineWidth(w, h));
}

// Edge = foreground pixels within `width` pixels (chessboard distance) of background or of the
// frame border: the mask minus its erosion, computed only inside the mask's box.
function paintOutline(rgb: Uint8Array, rle: Rle, [r, g, b]: Rgb, width: number): void {
  const bbox = rleBbox(rle);
  if (!bbox) return;
  const { w, h } = rle;
  const box = { x0: bbox[0], y0: bbox[1], x1: bbox[0] + bbox[2] - 1, y1: bbox[1] + bbox[3] - 1 };
  const mask = decodeMask(rle);
  let inner = mask;
  for (let k = 0; k < width; k++) inner = erode(inner, w, h, box);
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) {
      const p = y * w + x;
      if (mask[p] && !inner[p]) {
        rgb[p * 3] = r;
        rgb[p * 3 + 1] = g;
        rgb[p * 3 + 2] = b;
      }
    }
  }
}

function erode(src: Uint8Array, w: number, h: number, box: { x0: number; y0: number; x1: number; y1: number }): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) {
      const p = y * w + x;
      if (!src[p]) continue;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) continue;
      if (src[p - 1] && src[p + 1] && src[p - w] && src[p + w] && src[p - w - 1] && src[p - w + 1] && src[p + w - 1] && src[p + w + 1]) {
        out[p] = 1;
      }
    }
  }
  return out;
}
