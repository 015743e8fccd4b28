// The decisions behind a job's progress events, as pure functions so they are table-tested:
// how fast it goes, when it will end, and when the next event may be sent.

export interface ProgressSample {
  /** ms on the registry's clock */
  t: number;
  done: number;
}

/** Below this span a rate is mostly noise (a burst of reports in one tick). */
export const MIN_RATE_SPAN_MS = 250;

/**
 * Units per second over the recent window, measured up to `now` so that a stalled job's rate
 * falls while it makes no progress. `samples` are in time order; the newest sample older than
 * the window is used as the anchor so a window never starts empty. Null when there is not
 * enough history yet.
 */
export function computeRate(samples: readonly ProgressSample[], now: number, windowMs: number): number | null {
  if (samples.length < 2) return null;
  const from = now - windowMs;
  let anchor = 0;
  for (let i = 0; i < samples.length; i++) {
    if (samples[i]!.t <= from) anchor = i;
    else break;
  }
  const first = samples[anchor]!;
  const last = samples[samples.length - 1]!;
  const spanMs = now - first.t;
  if (spanMs < MIN_RATE_SPAN_MS || last === first) return null;
  const rate = ((last.done - first.done) * 1000) / spanMs;
  return rate >= 0 ? rate : null;
}

/** Seconds left at `rate`, or null when unknown (no rate, no total, nothing moving). */
export function computeEta(done: number, total: number, rate: number | null): number | null {
  if (rate === null || !(rate > 0) || !(total > 0)) return null;
  return Math.max(0, total - done) / rate;
}

/** Drop samples that can no longer be an anchor: keep one at or before the window start. */
export function pruneSamples(samples: ProgressSample[], now: number, windowMs: number): void {
  const from = now - windowMs;
  let keepFrom = 0;
  for (let i = 0; i < samples.length; i++) {
    if (samples[i]!.t <= from) keepFrom = i;
    else break;
  }
  if (keepFrom > 0) samples.splice(0, keepFrom);
}

/** 0: send the event now; otherwise wait this many ms (leading edge, then at most one per period). */
export function nextEmitDelay(lastEmitAt: number | null, now: number, throttleMs: number): number {
  if (lastEmitAt === null) return 0;
  const elapsed = now - lastEmitAt;
  return elapsed >= throttleMs ? 0 : throttleMs - elapsed;
}
