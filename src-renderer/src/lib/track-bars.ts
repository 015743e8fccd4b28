// Track bar geometry: which frames of an object have masks (as runs, so a 10 000-frame
// track is a handful of rectangles), and jumps between prompted frames.

/** Ascending frame numbers → inclusive runs of consecutive frames. */
export function frameRuns(frames: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const f of frames) {
    const last = runs.at(-1);
    if (last && f === last[1] + 1) last[1] = f;
    else if (last && f <= last[1])
      continue; // duplicates or disorder: keep runs well-formed
    else runs.push([f, f]);
  }
  return runs;
}

/**
 * Runs of consecutive frames whose value maps to the same key (e.g. a confidence colour),
 * so the strip draws one rectangle per change instead of one per frame.
 */
export function keyedRuns<T>(frames: readonly number[], values: readonly T[], key: (v: T) => string): { from: number; to: number; key: string }[] {
  const out: { from: number; to: number; key: string }[] = [];
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i]!;
    const k = key(values[i]!);
    const last = out.at(-1);
    if (last && last.key === k && f === last.to + 1) last.to = f;
    else out.push({ from: f, to: f, key: k });
  }
  return out;
}

/** The nearest prompted frame strictly before `from`, or null. */
export function prevFrameIn(sorted: readonly number[], from: number): number | null {
  let best: number | null = null;
  for (const f of sorted) {
    if (f < from) best = f;
    else break;
  }
  return best;
}

/** The nearest prompted frame strictly after `from`, or null. */
export function nextFrameIn(sorted: readonly number[], from: number): number | null {
  for (const f of sorted) if (f > from) return f;
  return null;
}

/** Union of several ascending frame lists, ascending, without duplicates. */
export function mergeFrames(lists: readonly (readonly number[])[]): number[] {
  const s = new Set<number>();
  for (const l of lists) for (const f of l) s.add(f);
  return [...s].sort((a, b) => a - b);
}

/** Insert `frame` into an ascending list (no duplicate); returns the index it has. */
export function insertSorted(list: number[], frame: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < frame) lo = mid + 1;
    else hi = mid;
  }
  if (list[lo] !== frame) list.splice(lo, 0, frame);
  return lo;
}
