// Frame ↔ time ↔ timeline position, as pure functions.

/** The frame's start time as m:ss.cc (hundredths), with hours when the video is that long. */
export function formatTime(frame: number, fps: number): string {
  const total = fps > 0 ? Math.max(0, frame) / fps : 0;
  const cs = Math.floor(total * 100 + 1e-6);
  const hundredths = cs % 100;
  const secs = Math.floor(cs / 100) % 60;
  const mins = Math.floor(cs / 6000) % 60;
  const hours = Math.floor(cs / 360000);
  const two = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(mins)}:${two(secs)}.${two(hundredths)}` : `${two(mins)}:${two(secs)}.${two(hundredths)}`;
}

export function clampFrame(frame: number, frames: number): number {
  if (frames <= 0 || !Number.isFinite(frame)) return 0;
  return Math.min(frames - 1, Math.max(0, Math.round(frame)));
}

/** The frame under a pointer at `x` on a scrubber `width` pixels wide (frame centres evenly spread). */
export function frameAtPosition(x: number, width: number, frames: number): number {
  if (frames <= 1 || width <= 0) return 0;
  return clampFrame((x / width) * (frames - 1), frames);
}

/** Where frame `frame` sits on a scrubber `width` wide (inverse of frameAtPosition). */
export function positionOfFrame(frame: number, width: number, frames: number): number {
  if (frames <= 1) return 0;
  return (clampFrame(frame, frames) / (frames - 1)) * width;
}

/**
 * Playback follows the clock, not the decoder: the frame due at `now` for a play that
 * started at frame `startFrame` at time `startMs`. Frames that were not ready in time are
 * skipped instead of slowing the clock down.
 */
export function playbackFrame(startFrame: number, startMs: number, nowMs: number, fps: number, frames: number): number {
  const elapsed = Math.max(0, nowMs - startMs) / 1000;
  return Math.min(frames - 1, startFrame + Math.floor(elapsed * fps + 1e-6));
}
