// How many masks each filter of a segment-everything run let through, in pipeline order, so a
// run that proposes nothing can say which filter removed them (issue 13, item 10). Counts are
// per run: the per-mask filters are summed over crops; the stages after them see the whole
// frame. Each stage's `input` is the previous stage's `kept` (the first one's is the number of
// decoded masks), so the funnel always adds up. A filter that is switched off has no stage.

import type { AmgFilter, AmgFunnel, AmgFunnelStage } from '../../../api/contract';

export type { AmgFilter, AmgFunnel, AmgFunnelStage };

/** Per-mask filter tallies of one run, summed over its batches and crops. */
export interface FilterTally {
  decoded: number;
  /** passed the predicted-IoU filter */
  afterIou: number;
  /** passed the stability filter */
  afterStability: number;
  /** passed the crop-edge rule (= candidates of the crop's NMS) */
  afterEdge: number;
  bestIou: number | null;
  /** best stability among the masks that reached the stability filter */
  bestStability: number | null;
}

export function emptyTally(): FilterTally {
  return { decoded: 0, afterIou: 0, afterStability: 0, afterEdge: 0, bestIou: null, bestStability: null };
}

const maxOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

export function addTally(into: FilterTally, t: FilterTally): void {
  into.decoded += t.decoded;
  into.afterIou += t.afterIou;
  into.afterStability += t.afterStability;
  into.afterEdge += t.afterEdge;
  into.bestIou = maxOf(into.bestIou, t.bestIou);
  into.bestStability = maxOf(into.bestStability, t.bestStability);
}

/** Which optional stages ran, with their thresholds, and what the whole-frame stages kept. */
export interface FunnelRun {
  predIouThresh: number;
  stabilityScoreThresh: number;
  boxNmsThresh: number;
  cropNmsThresh: number;
  postprocessMinArea: number;
  crops: number;
  afterBoxNms: number;
  afterCropNms: number;
  afterSmallRegions: number;
}

/** The stages in order, chaining input to the previous stage's output. */
export function buildFunnel(t: FilterTally, r: FunnelRun): AmgFunnel {
  const stages: AmgFunnelStage[] = [];
  let input = t.decoded;
  const add = (filter: AmgFilter, threshold: number | null, kept: number, best: number | null = null) => {
    stages.push({ filter, threshold, input, kept, best });
    input = kept;
  };
  if (r.predIouThresh > 0) add('predIou', r.predIouThresh, t.afterIou, t.bestIou);
  if (r.stabilityScoreThresh > 0) add('stability', r.stabilityScoreThresh, t.afterStability, t.bestStability);
  // a mask cut by a crop edge that is not the frame's edge: only crops smaller than the frame have such edges
  if (r.crops > 1) add('cropEdge', null, t.afterEdge);
  add('boxNms', r.boxNmsThresh, r.afterBoxNms);
  if (r.crops > 1) add('cropNms', r.cropNmsThresh, r.afterCropNms);
  if (r.postprocessMinArea > 0) add('smallRegions', r.postprocessMinArea, r.afterSmallRegions);
  return { candidates: t.decoded, stages };
}
