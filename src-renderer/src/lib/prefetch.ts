// Which frames to load, in which order, around the frame on screen. Pure, so the loader
// (frame-loader.svelte.ts) only executes the plan.

export interface PrefetchWindow {
  /** frames after the current one to keep loaded */
  ahead: number;
  /** frames before it */
  behind: number;
}

/** Scrubbing looks both ways; playback only needs what comes next. */
export function prefetchWindow(playing: boolean, capacity: number): PrefetchWindow {
  const budget = Math.max(2, Math.floor(capacity / 2) - 1);
  if (playing) return { ahead: Math.min(48, budget), behind: 2 };
  return { ahead: Math.min(24, budget), behind: Math.min(16, budget) };
}

/**
 * The frames to have loaded, most urgent first: the current frame, then neighbours
 * alternating forward/backward (forward first — the likelier direction), skipping frames
 * that are not extracted yet (`ready` frames exist: 0 … ready-1).
 */
export function prefetchOrder(center: number, frames: number, ready: number, w: PrefetchWindow): number[] {
  const limit = Math.min(frames, ready);
  const out: number[] = [];
  if (center >= 0 && center < limit) out.push(center);
  const span = Math.max(w.ahead, w.behind);
  for (let d = 1; d <= span; d++) {
    const f = center + d;
    if (d <= w.ahead && f < limit) out.push(f);
    const b = center - d;
    if (d <= w.behind && b >= 0 && b < limit) out.push(b);
  }
  return out;
}

/** How many decoded frames to keep: a memory budget over the frame size, within sane bounds. */
export function cacheCapacity(width: number, height: number, budgetBytes = 768 * 2 ** 20): number {
  const per = Math.max(1, width * height * 4);
  return Math.max(8, Math.min(400, Math.floor(budgetBytes / per)));
}
