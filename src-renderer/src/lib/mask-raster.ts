// Masks (row-major RLE, see contract.ts) → pixels for the overlay canvas. Pure and
// allocation-aware: the overlay renderer calls these once per (frame, object, style) and
// caches the result, so scrubbing back over a frame costs nothing.
import type { Rle } from '$api/contract';

/** Thrown for an RLE whose runs do not cover exactly h × w pixels (it would paint garbage). */
export class MaskShapeError extends Error {}

/** Decode to 0/1 bytes, h × w, row-major. */
export function rleToMask(rle: Rle, out?: Uint8Array): Uint8Array {
  const n = rle.h * rle.w;
  if (!(rle.h > 0 && rle.w > 0)) throw new MaskShapeError(`mask size ${rle.w}×${rle.h} is not positive`);
  const mask = out && out.length === n ? out : new Uint8Array(n);
  let pos = 0;
  for (let k = 0; k < rle.counts.length; k++) {
    const c = rle.counts[k]!;
    if (c < 0 || pos + c > n) throw new MaskShapeError(`mask runs overflow ${rle.w}×${rle.h} at run ${k}`);
    // background runs must be written too when a buffer is reused
    mask.fill(k & 1, pos, pos + c);
    pos += c;
  }
  if (pos !== n) throw new MaskShapeError(`mask runs cover ${pos} pixels, ${rle.w}×${rle.h} needs ${n}`);
  return mask;
}

/** Foreground pixel count straight from the runs (no decode). */
export function rleArea(rle: Rle): number {
  let a = 0;
  for (let k = 1; k < rle.counts.length; k += 2) a += rle.counts[k]!;
  return a;
}

/**
 * The mask's boundary: mask AND NOT eroded(mask), with a 4-neighbour erosion whose
 * outside-the-image counts as background (so a mask touching the border is outlined there).
 * `width` px thick: the erosion is applied that many times.
 */
export function outlineOf(mask: Uint8Array, w: number, h: number, thickness = 1): Uint8Array {
  let eroded = mask;
  for (let t = 0; t < thickness; t++) eroded = erode4(eroded, w, h);
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = mask[i]! & (eroded[i]! ^ 1);
  return out;
}

export function erode4(mask: Uint8Array, w: number, h: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const i = row + x;
      if (!mask[i]) continue;
      if (x === 0 || x === w - 1 || y === 0 || y === h - 1) continue;
      if (mask[i - 1] && mask[i + 1] && mask[i - w] && mask[i + w]) out[i] = 1;
    }
  }
  return out;
}

export type Rgb = [number, number, number];

export interface PaintStyle {
  color: Rgb;
  /** 0…1, for the fill; outlines are drawn fully opaque so they stay visible */
  opacity: number;
  /** outline only: no fill */
  outlineOnly: boolean;
  /** draw a boundary on top of the fill (ignored when outlineOnly, which always has one) */
  outline: boolean;
}

/**
 * RGBA pixels (h × w × 4, not premultiplied, as ImageData wants) of one object's mask.
 * Fill pixels get `opacity`, boundary pixels full alpha.
 */
export function paintMask(mask: Uint8Array, w: number, h: number, style: PaintStyle, out?: Uint8ClampedArray): Uint8ClampedArray {
  const rgba = out && out.length === w * h * 4 ? out : new Uint8ClampedArray(w * h * 4);
  rgba.fill(0);
  const [r, g, b] = style.color;
  const fillA = style.outlineOnly ? 0 : Math.round(Math.min(1, Math.max(0, style.opacity)) * 255);
  const edge = style.outlineOnly || style.outline ? outlineOf(mask, w, h, 1) : null;
  for (let i = 0, j = 0; i < mask.length; i++, j += 4) {
    if (!mask[i]) continue;
    const a = edge && edge[i] ? 255 : fillA;
    if (a === 0) continue;
    rgba[j] = r;
    rgba[j + 1] = g;
    rgba[j + 2] = b;
    rgba[j + 3] = a;
  }
  return rgba;
}

/** A style's cache key: two styles with the same key paint the same pixels. */
export function styleKey(s: PaintStyle): string {
  return `${s.color.join(',')}|${Math.round(s.opacity * 100)}|${s.outlineOnly ? 'o' : 'f'}${s.outline ? '+' : ''}`;
}
