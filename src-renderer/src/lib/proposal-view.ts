// Segment everything's proposals on the frame, as pure decisions: which proposal a click or
// the pointer is on (the smallest under it, since small proposals are drawn on top; in the
// label view the one that owns the pixel), keeping and dropping, the colour each kept proposal
// will have as an object, and the colours of the label view. Table-tested.
import type { Proposal } from '$api/contract';
import { labelView, labelViewMasks } from '$shared/label-view';
import { nextObjectColors } from '$shared/palette';
import type { Rgb } from './mask-raster';

const asMasks = (ps: readonly Proposal[]) => ps.map((p) => ({ segmentation: p.rle }));

/** Drawing order: largest first, so the smallest end on top (equal areas keep their order). */
export function drawOrder(ps: readonly Proposal[]): Proposal[] {
  return ps
    .map((p, i) => ({ p, i }))
    .sort((a, b) => b.p.area - a.p.area || a.i - b.i)
    .map((x) => x.p);
}

/**
 * Per pixel, index + 1 of the proposal a click there means (0: none). Outlines: the smallest
 * proposal covering the pixel, as drawn. Label view: the highest predicted IoU (labelView).
 */
export function hitMap(ps: readonly Proposal[], h: number, w: number, labels: boolean): Int32Array {
  // smaller on top; of equal areas the later one, as drawOrder paints it last
  const scores = labels ? ps.map((p) => p.predictedIou) : ps.map((p, i) => -p.area + i / (ps.length + 1));
  return labelView(asMasks(ps), scores, h, w);
}

/** The proposal at video pixel (x, y), or null off the frame or where none is. */
export function proposalAt(map: Int32Array, ps: readonly Proposal[], w: number, h: number, x: number, y: number): Proposal | null {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  if (!(xi >= 0 && yi >= 0 && xi < w && yi < h)) return null;
  const l = map[yi * w + xi]!;
  return l > 0 ? (ps[l - 1] ?? null) : null;
}

/** The non-overlapping view: each proposal's visible part (pixels it wins by predicted IoU). */
export function labelViewParts(ps: readonly Proposal[], h: number, w: number) {
  return labelViewMasks(hitMap(ps, h, w, true), ps.length, h, w);
}

/** Keep or drop one: kept ids stay in the order they were kept (the objects are made in it). */
export function toggleKept(kept: readonly number[], id: number): number[] {
  return kept.includes(id) ? kept.filter((k) => k !== id) : [...kept, id];
}

export function dropKept(kept: readonly number[], id: number): number[] {
  return kept.filter((k) => k !== id);
}

/** "Keep all": the ones kept so far first, then the rest largest first. */
export function keepAll(kept: readonly number[], ps: readonly Proposal[]): number[] {
  const have = new Set(kept);
  return [
    ...kept.filter((k) => ps.some((p) => p.id === k)),
    ...drawOrder(ps)
      .map((p) => p.id)
      .filter((id) => !have.has(id)),
  ];
}

/** Kept ids that are still proposals (after a new run or a keep elsewhere, some may be gone). */
export function liveKept(kept: readonly number[], ps: readonly Proposal[]): number[] {
  const ids = new Set(ps.map((p) => p.id));
  return kept.filter((k) => ids.has(k));
}

/** The colour each kept proposal's object will get: the services' rule, in keeping order. */
export function futureColors(kept: readonly number[], objectColors: readonly string[]): Map<number, string> {
  const colors = nextObjectColors(objectColors, kept.length);
  return new Map(kept.map((id, i) => [id, colors[i]!]));
}

/** Label i's colour: hues a golden angle apart, bright and saturated, so neighbours differ. */
export function labelColor(i: number): Rgb {
  const h = (i * 137.508) % 360;
  return hslToRgb(h, 0.75, 0.55);
}

export function hslToRgb(h: number, s: number, l: number): Rgb {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] = h < 60 ? [c, x, 0] : h < 120 ? [x, c, 0] : h < 180 ? [0, c, x] : h < 240 ? [0, x, c] : h < 300 ? [x, 0, c] : [c, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}
