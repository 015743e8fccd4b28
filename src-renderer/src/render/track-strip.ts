// One object's track bar on a canvas: where it has masks (its colour), its prompted
// (conditioning) frames as white ticks, and the object score as a confidence strip under
// it, so drift and disappearance stand out. Runs, not frames, are drawn (lib/track-bars).
import type { TrackSummary } from '$api/contract';
import { confidenceColor, band } from '../lib/confidence';
import { frameRuns, keyedRuns } from '../lib/track-bars';

export interface StripGeometry {
  width: number;
  height: number;
  dpr: number;
  /** x (CSS px) of a frame's centre */
  xOf: (frame: number) => number;
  frames: number;
}

/** One representative colour per confidence band keeps the strip to a few rectangles. */
const BAND_SCORE = { high: 6, medium: 0.6, low: -6 } as const;

export function drawTrackStrip(canvas: HTMLCanvasElement, track: TrackSummary | undefined, color: string, g: StripGeometry, dim: boolean): void {
  const w = Math.max(1, Math.round(g.width * g.dpr));
  const h = Math.max(1, Math.round(g.height * g.dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(g.dpr, 0, 0, g.dpr, 0, 0);
  ctx.clearRect(0, 0, g.width, g.height);
  ctx.fillStyle = '#121519';
  ctx.fillRect(0, 0, g.width, g.height);
  if (!track || g.frames <= 0) return;
  const half = g.frames > 1 ? g.width / (g.frames - 1) / 2 : g.width / 2;
  const span = (a: number, b: number): [number, number] => {
    const x0 = Math.max(0, g.xOf(a) - half);
    const x1 = Math.min(g.width, g.xOf(b) + half);
    return [x0, Math.max(1, x1 - x0)];
  };
  const barH = Math.round(g.height * 0.6);
  ctx.globalAlpha = dim ? 0.35 : 0.9;
  ctx.fillStyle = color;
  for (const [a, b] of frameRuns(track.frames)) {
    const [x, wd] = span(a, b);
    ctx.fillRect(x, 0, wd, barH);
  }
  ctx.globalAlpha = dim ? 0.5 : 1;
  for (const r of keyedRuns(track.frames, track.scores, (s) => band(s))) {
    const [x, wd] = span(r.from, r.to);
    ctx.fillStyle = confidenceColor(BAND_SCORE[r.key as keyof typeof BAND_SCORE]);
    ctx.fillRect(x, barH + 1, wd, g.height - barH - 1);
  }
  ctx.globalAlpha = 1;
  ctx.fillStyle = '#ffffff';
  for (const f of track.promptFrames) {
    const x = g.xOf(f);
    ctx.fillRect(Math.round(x) - 1, 0, 2, barH);
  }
}
