// A segment-everything run's funnel in words, and what to lower when nothing survived. Pure; the
// Segment panel and `maskline segment-all` both print these (docs/amg.md, "When nothing is
// proposed"). The proposal only lowers the two quality thresholds: the crop-edge rule and the
// NMS stages can never remove every mask that reaches them, and lowering NMS would only let
// duplicates through.
import type { AmgFilter, AmgFunnel, AmgFunnelStage } from '../api/contract';

const NAMES: Record<AmgFilter, string> = {
  predIou: 'IoU',
  stability: 'stability',
  cropEdge: 'crop edge',
  boxNms: 'NMS',
  cropNms: 'crop NMS',
  smallRegions: 'small regions',
};

/** Long names for sentences. */
const FILTER_TITLES: Record<AmgFilter, string> = {
  predIou: 'the predicted-IoU filter',
  stability: 'the stability filter',
  cropEdge: 'the crop-edge rule',
  boxNms: 'box NMS',
  cropNms: 'the NMS between crops',
  smallRegions: 'the small-region clean-up',
};

const withThreshold = (s: AmgFunnelStage) => (s.filter === 'predIou' || s.filter === 'stability') && s.threshold !== null;

/** "256 candidates → IoU 0.88 kept 12 → stability 0.95 kept 3 → NMS kept 2" */
export function funnelText(f: AmgFunnel): string {
  const parts = [`${f.candidates.toLocaleString('en-US')} candidate${f.candidates === 1 ? '' : 's'}`];
  for (const s of f.stages) parts.push(`${NAMES[s.filter]}${withThreshold(s) ? ` ${s.threshold}` : ''} kept ${s.kept.toLocaleString('en-US')}`);
  return parts.join(' → ');
}

/** The stage that removed the last masks (its input > 0, kept 0), or null when something survived or nothing was decoded. */
export function emptyingStage(f: AmgFunnel): AmgFunnelStage | null {
  if (f.stages.length === 0 || f.stages.at(-1)!.kept > 0) return null;
  return f.stages.find((s) => s.input > 0 && s.kept === 0) ?? null;
}

const score = (v: number) => (Math.floor(v * 1000) / 1000).toString();

/** Why a run proposed nothing, in one sentence; null when it proposed something. */
export function emptyReason(f: AmgFunnel): string | null {
  if (f.stages.length > 0 && f.stages.at(-1)!.kept > 0) return null;
  if (f.candidates === 0) return 'The decoder gave no masks.';
  const s = emptyingStage(f);
  if (!s) return null;
  const all = `all ${s.input.toLocaleString('en-US')} mask${s.input === 1 ? '' : 's'} that reached it`;
  const best = s.best !== null ? ` (the best ${s.filter === 'predIou' ? 'predicted IoU' : 'stability'} was ${score(s.best)})` : '';
  const thr = withThreshold(s) ? ` at ${s.threshold}` : '';
  return `${FILTER_TITLES[s.filter][0]!.toUpperCase()}${FILTER_TITLES[s.filter].slice(1)}${thr} removed ${all}${best}.`;
}

export interface QualityThresholds {
  predIouThresh: number;
  stabilityScoreThresh: number;
}

/** The 0.05 step the panel's inputs use. */
const STEP = 0.05;
const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * The highest threshold on the 0.05 grid that `best` passes: the IoU filter keeps a mask whose
 * score is above the threshold (strict), the stability filter one at least at it; both compare
 * in float32, as the generator does. Without a best score (no mask reached the filter), one step
 * of 0.1 down. Never below 0 (0 switches the filter off).
 */
export function passingThreshold(best: number | null, current: number, strict: boolean): number {
  if (best === null) return Math.max(0, round2(current - 0.1));
  let v = round2(Math.floor(best / STEP + 1e-9) * STEP);
  const passes = (t: number) => (strict ? best > Math.fround(t) : best >= Math.fround(t));
  if (!passes(v)) v = round2(v - STEP);
  return Math.max(0, v);
}

/** The quality thresholds a run used, read from its funnel (a filter that was off has no stage: 0). */
export function runThresholds(f: AmgFunnel): QualityThresholds {
  const of = (filter: AmgFilter) => f.stages.find((s) => s.filter === filter)?.threshold ?? 0;
  return { predIouThresh: of('predIou'), stabilityScoreThresh: of('stability') };
}

/**
 * When a run kept nothing: the thresholds that let the best mask through the filter that removed
 * the last ones (the other threshold unchanged: a run with these may stop at the next filter,
 * and its funnel then proposes again). Null when something survived or lowering cannot help.
 */
export function proposeThresholds(f: AmgFunnel, current: QualityThresholds): QualityThresholds | null {
  const s = emptyingStage(f);
  if (!s) return null;
  if (s.filter === 'predIou') return { ...current, predIouThresh: passingThreshold(s.best, current.predIouThresh, true) };
  if (s.filter === 'stability') return { ...current, stabilityScoreThresh: passingThreshold(s.best, current.stabilityScoreThresh, false) };
  return null;
}
