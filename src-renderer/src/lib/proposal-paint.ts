// Proposals → RGBA pixels at video size, pure: each item's fill straight from its run lengths
// and its outline from precomputed boundary pixels, painted in order so later items (smaller
// proposals) end on top. Colours overwrite rather than blend: what is on top is what a click
// there selects, and the canvas composites the whole layer over the frame once.
import type { Rle } from '$api/contract';

/** r, g, b 0…255 and alpha 0…255 (not premultiplied, as ImageData wants). */
export type Rgba = [number, number, number, number];

export interface PaintItem {
  rle: Rle;
  /** boundary pixel indices (outlinePixels), or null for no outline */
  outline: Int32Array | null;
  fill: Rgba | null;
  line: Rgba | null;
}

/**
 * Indices of the mask's boundary pixels (foreground with a 4-neighbour in the background or
 * off the frame), ascending. Works inside the mask's bounding box only: proposals are mostly
 * small, and decoding each one over a whole 1080p frame cost ~12 ms apiece.
 */
export function outlinePixels(rle: Rle): Int32Array {
  const { w, h } = rle;
  let x0 = w,
    x1 = -1,
    y0 = h,
    y1 = -1;
  let pos = 0;
  for (let k = 0; k < rle.counts.length; k++) {
    const c = rle.counts[k]!;
    if (k & 1 && c > 0) {
      const ys = Math.floor(pos / w),
        ye = Math.floor((pos + c - 1) / w);
      y0 = Math.min(y0, ys);
      y1 = Math.max(y1, ye);
      if (ys === ye) {
        x0 = Math.min(x0, pos % w);
        x1 = Math.max(x1, (pos + c - 1) % w);
      } else {
        x0 = 0;
        x1 = w - 1;
      }
    }
    pos += c;
  }
  if (y1 < 0) return new Int32Array(0);
  const bw = x1 - x0 + 1,
    bh = y1 - y0 + 1;
  const m = new Uint8Array(bw * bh);
  pos = 0;
  for (let k = 0; k < rle.counts.length; k++) {
    const c = rle.counts[k]!;
    if (k & 1 && c > 0) {
      const ys = Math.floor(pos / w),
        ye = Math.floor((pos + c - 1) / w);
      for (let y = ys; y <= ye; y++) {
        const cs = y === ys ? pos % w : 0;
        const ce = y === ye ? (pos + c - 1) % w : w - 1;
        m.fill(1, (y - y0) * bw + cs - x0, (y - y0) * bw + ce - x0 + 1);
      }
    }
    pos += c;
  }
  const out: number[] = [];
  for (let ly = 0; ly < bh; ly++) {
    for (let lx = 0; lx < bw; lx++) {
      const i = ly * bw + lx;
      if (!m[i]) continue;
      const gx = lx + x0,
        gy = ly + y0;
      const edge =
        gx === 0 ||
        gy === 0 ||
        gx === w - 1 ||
        gy === h - 1 ||
        lx === 0 ||
        !m[i - 1] ||
        lx === bw - 1 ||
        !m[i + 1] ||
        ly === 0 ||
        !m[i - bw] ||
        ly === bh - 1 ||
        !m[i + bw];
      if (edge) out.push(gy * w + gx);
    }
  }
  return Int32Array.from(out);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function pack([r, g, b, a]: Rgba): number {
  return LITTLE_ENDIAN ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}

/** Paints `items` in order into `out` (w × h × 4, cleared first); items of another size are an error. */
export function paintLayer(out: Uint8ClampedArray, w: number, h: number, items: readonly PaintItem[]): Uint8ClampedArray {
  if (out.length !== w * h * 4) throw new Error(`paintLayer: the buffer holds ${out.length / 4} pixels, ${w}×${h} needs ${w * h}`);
  const px = new Uint32Array(out.buffer, out.byteOffset, w * h);
  px.fill(0);
  for (const it of items) {
    if (it.rle.w !== w || it.rle.h !== h) throw new Error(`paintLayer: a mask is ${it.rle.w}×${it.rle.h}, the layer ${w}×${h}`);
    if (it.fill) {
      const c = pack(it.fill);
      let pos = 0;
      for (let k = 0; k < it.rle.counts.length; k++) {
        const n = it.rle.counts[k]!;
        if (k & 1) px.fill(c, pos, pos + n);
        pos += n;
      }
    }
    if (it.line && it.outline) {
      const c = pack(it.line);
      for (let i = 0; i < it.outline.length; i++) px[it.outline[i]!] = c;
    }
  }
  return out;
}

export interface LayerSpec {
  /** the frame's proposals as the services sent them (index = label - 1 in the label view) */
  proposals: readonly { id: number; rle: Rle; area: number }[];
  /** label view: each proposal's visible part, by index; null draws the outlines view */
  parts: readonly Rle[] | null;
  /** kept proposal id → its future object colour */
  kept: ReadonlyMap<number, [number, number, number]>;
  /** colour of proposal index i where it is not kept */
  colorOf: (i: number) => [number, number, number];
  /** boundary pixels of a mask (cached by the caller) */
  outline: (rle: Rle) => Int32Array;
}

/** Alpha of a kept proposal's fill, of a label's fill, of the hover highlight. */
export const KEPT_ALPHA = 120;
export const LABEL_ALPHA = 140;
export const HOVER_ALPHA = 90;

/**
 * What the base layer paints. Outlines view: every proposal's outline in its own colour,
 * largest first so small ones are on top, kept ones filled in their future object colour.
 * Label view: each proposal's visible part filled (kept ones in their future colour).
 */
export function layerItems(s: LayerSpec): PaintItem[] {
  const idx = new Map(s.proposals.map((p, i) => [p.id, i]));
  const ordered = s.parts ? [...s.proposals] : [...s.proposals].sort((a, b) => b.area - a.area || idx.get(a.id)! - idx.get(b.id)!);
  return ordered.map((p) => {
    const i = idx.get(p.id)!;
    const keptRgb = s.kept.get(p.id);
    const rgb = keptRgb ?? s.colorOf(i);
    const rle = s.parts ? s.parts[i]! : p.rle;
    const fillAlpha = keptRgb ? KEPT_ALPHA : s.parts ? LABEL_ALPHA : 0;
    return { rle, outline: s.outline(rle), fill: fillAlpha ? [...rgb, fillAlpha] : null, line: [...rgb, 255] } satisfies PaintItem;
  });
}

/** The hover highlight: a white veil and outline over the proposal (its visible part in the label view). */
export function hoverItem(rle: Rle, outline: Int32Array): PaintItem {
  return { rle, outline, fill: [255, 255, 255, HOVER_ALPHA], line: [255, 255, 255, 255] };
}
