// Segment everything's run results as the API carries them (a finished segment.everything job's
// result; `maskline segment-all --json`): what the run measured and what each filter let through.
// Kept apart from contract.ts, which re-exports them.

/** The filters of a segment-everything run, in the order they run (docs/amg.md). */
export type AmgFilter = 'predIou' | 'stability' | 'cropEdge' | 'boxNms' | 'cropNms' | 'smallRegions';

export interface AmgFunnelStage {
  filter: AmgFilter;
  /** the option's value for the run (predIouThresh, stabilityScoreThresh, boxNmsThresh, cropNmsThresh, postprocessMinArea); null for the crop-edge rule */
  threshold: number | null;
  /** = the previous stage's kept (the first stage's: candidates) */
  input: number;
  kept: number;
  /** predIou and stability: the highest score of a mask that reached this filter (null when none did) */
  best: number | null;
}

/** What each filter of one run let through; a filter switched off has no stage. */
export interface AmgFunnel {
  /** masks out of the decoder (after m2m refinement when on) */
  candidates: number;
  stages: AmgFunnelStage[];
}

/** Measured and counted in one segment-everything run. */
export interface AmgStats {
  totalMs: number;
  /** time inside mask-decoder runs */
  decoderMs: number;
  decoderCalls: number;
  /** time inside image-encoder runs (the frame when its features were not cached, and crops) */
  encoderMs: number;
  crops: number;
  points: number;
  /** masks that came out of the decoder (3 per point with multimask output) */
  decodedMasks: number;
  /** masks that passed the per-mask filters, before any NMS */
  passedFilters: number;
  kept: number;
  /** what each filter let through, in order */
  funnel: AmgFunnel;
}

/** A finished segment.everything job's result (JobSnapshot.result); the proposals come as an event. */
export interface SegmentJobResult {
  frame: number;
  proposals: number;
  stats: AmgStats;
}
