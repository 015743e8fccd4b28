// Which frames of a track CLIP looks at. A track is labelled from up to K of its masks so one
// bad frame (occlusion, a half-visible object) does not decide it: the track's non-empty frames,
// in order, are cut into K runs of (nearly) equal length and each run gives its most confident
// mask (object score; ties: larger area, then the earlier frame), so the picks are spread over
// the whole track. The picks come back most confident first. Pure.

export interface TrackFrame {
  frame: number;
  /** the mask's object score (logit): higher is more confident */
  score: number;
  /** foreground pixels; empty masks are never picked */
  area: number;
}

export function better(a: TrackFrame, b: TrackFrame): boolean {
  if (a.score !== b.score) return a.score > b.score;
  if (a.area !== b.area) return a.area > b.area;
  return a.frame < b.frame;
}

export function pickTrackFrames(frames: readonly TrackFrame[], k: number): TrackFrame[] {
  if (!Number.isInteger(k) || k < 1) throw new Error(`frames per track must be an integer ≥ 1, got ${k}`);
  const usable = frames.filter((f) => f.area > 0).sort((a, b) => a.frame - b.frame);
  const n = usable.length;
  const runs = Math.min(k, n);
  const picks: TrackFrame[] = [];
  for (let r = 0; r < runs; r++) {
    const start = Math.floor((r * n) / runs);
    const end = Math.floor(((r + 1) * n) / runs);
    let best = usable[start]!;
    for (let i = start + 1; i < end; i++) if (better(usable[i]!, best)) best = usable[i]!;
    picks.push(best);
  }
  return picks.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
}
