// Proposals → RGBA pixels at video size, pure: each item's fill straight from its run lengths
// and its outline from precomputed boundary pixels, painted in order so later items (smaller
// proposals) end on top. Colours overwrite rather than blend: what is on top is what a click
// there selects, and the canvas composites the whole layer over the frame once.
import type { Rle } from '../../../src-main/api/contract';
import { outlineOf, rleToMask } from './mask-raster';

/** r, g, b 0…255 and alpha 0…255 (not premultiplied, as ImageData wants). */
export type Rgba = [number, number, number, number];

export interface PaintItem {
  rle: Rle;
  /** boundary pixel indices (outlinePixels), or null for no outline */
  outline: Int32Array | null;
  fill: Rgba | null;
  line: Rgba | null;
}

/** Indices of the mask's boundary pixels (mask AND NOT its 4-neighbour erosion). */
export function outlinePixels(rle: Rle): Int32Array {
  const mask = rleToMask(rle);
  const edge = outlineOf(mask, rle.w, rle.h, 1);
  let n = 0;
  for (let i = 0; i < edge.length; i++) n += edge[i]!;
  const out = new Int32Array(n);
  for (let i = 0, k = 0; i < edge.length; i++) if (edge[i]) out[k++] = i;
  return out;
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
