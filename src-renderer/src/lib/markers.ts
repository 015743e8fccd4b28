// In/out markers on the timeline and what they mean for propagation and export ranges.
import type { Direction } from '$api/contract';

export interface Markers {
  in: number | null;
  out: number | null;
}

export const NO_MARKERS: Markers = { in: null, out: null };

/**
 * Set one marker. A marker placed on the wrong side of the other one replaces the pair's
 * meaning: the other marker is dropped rather than silently swapped.
 */
export function setMarker(m: Markers, which: 'in' | 'out', frame: number): Markers {
  if (which === 'in') return { in: frame, out: m.out !== null && m.out < frame ? null : m.out };
  return { in: m.in !== null && m.in > frame ? null : m.in, out: frame };
}

/** The inclusive range the markers select; without markers, the whole video. */
export function markedRange(m: Markers, frames: number): [number, number] {
  const last = Math.max(0, frames - 1);
  const a = Math.min(last, Math.max(0, m.in ?? 0));
  const b = Math.min(last, Math.max(0, m.out ?? last));
  return a <= b ? [a, b] : [b, a];
}

export function hasMarkers(m: Markers): boolean {
  return m.in !== null || m.out !== null;
}

export type PropagationPlan =
  { ok: true; args: { frame: number; direction: Direction; range?: [number, number] }; label: string } | { ok: false; message: string };

/**
 * The track.propagate call for "propagate from the current frame", limited to the marked
 * range when there is one. The start frame must lie inside the range, and the direction
 * must have somewhere to go.
 */
export function planPropagation(frame: number, direction: Direction, m: Markers, frames: number): PropagationPlan {
  if (frames <= 0) return { ok: false, message: 'No video is open.' };
  const [a, b] = markedRange(m, frames);
  if (frame < a || frame > b) {
    return { ok: false, message: `Frame ${frame} is outside the in/out range ${a}–${b}: move there or clear the markers (X).` };
  }
  if (direction === 'forward' && frame >= b) return { ok: false, message: `Frame ${frame} is the last frame of the range: nothing to propagate forward.` };
  if (direction === 'backward' && frame <= a) return { ok: false, message: `Frame ${frame} is the first frame of the range: nothing to propagate backward.` };
  if (direction === 'both' && a === b) return { ok: false, message: 'The range is a single frame: nothing to propagate.' };
  const range: [number, number] | undefined = hasMarkers(m) ? [a, b] : undefined;
  const span = direction === 'forward' ? `${frame}–${b}` : direction === 'backward' ? `${frame}–${a}` : `${a}–${b}`;
  return { ok: true, args: range ? { frame, direction, range } : { frame, direction }, label: `${direction} ${span}` };
}
