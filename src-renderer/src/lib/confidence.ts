// The per-frame object score (a logit: > 0 means "present") as a colour on the track bar's
// confidence strip, and the "next low-confidence frame" search. Scores are logits, so the
// strip maps them through a sigmoid: drift (scores sliding towards 0) shows as amber,
// disappearance (negative scores) as red, a solid track as green.
import type { TrackSummary } from '$api/contract';

/** Below this probability a frame counts as low confidence (L jumps to it). */
export const LOW_CONFIDENCE = 0.5;

export function presence(score: number): number {
  if (!Number.isFinite(score)) return score > 0 ? 1 : 0;
  return 1 / (1 + Math.exp(-score));
}

export type ConfidenceBand = 'high' | 'medium' | 'low';

export function band(score: number): ConfidenceBand {
  const p = presence(score);
  if (p < LOW_CONFIDENCE) return 'low';
  if (p < 0.85) return 'medium';
  return 'high';
}

/** Red (absent) → amber → green (certain), as an `rgb()` string for the strip. */
export function confidenceColor(score: number): string {
  const p = presence(score);
  // two linear legs through amber at p = 0.5 so the midpoint reads as a warning, not a brown
  const red = [229, 72, 77];
  const amber = [240, 166, 48];
  const green = [61, 187, 122];
  const [a, b, t] = p < 0.5 ? [red, amber, p / 0.5] : [amber, green, (p - 0.5) / 0.5];
  const mix = (i: number) => Math.round(a[i]! + (b[i]! - a[i]!) * t);
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}

export function isLowConfidence(score: number): boolean {
  return presence(score) < LOW_CONFIDENCE;
}

/**
 * The first frame after `from` (wrapping around to the start) where any of `tracks` has a
 * low-confidence mask; null when there is none.
 */
export function nextLowConfidenceFrame(tracks: readonly TrackSummary[], from: number): number | null {
  let after: number | null = null;
  let first: number | null = null;
  for (const t of tracks) {
    for (let i = 0; i < t.frames.length; i++) {
      if (!isLowConfidence(t.scores[i] ?? 0)) continue;
      const f = t.frames[i]!;
      if (f > from && (after === null || f < after)) after = f;
      if (first === null || f < first) first = f;
    }
  }
  return after ?? first;
}
