// Per-object tracking state (spec 8.1, official predictor with every prompted frame kept as a
// conditioning frame). Objects are independent: each has its own prompts, outputs and tracked
// frames; they share only the frames' image features.
import type { MaskSummary } from './low-res-rle';
import type { StoredMemory } from './memory-assembly';
import type { StoredPoints } from './points';

/** One object's output on one frame. */
export interface FrameOut {
  /** the object pointer [C] (already gated) */
  objPtr: Float32Array;
  /** object score logit: > 0 means present */
  score: number;
  /** the IoU prediction of the chosen mask (1 for mask prompts) */
  iou: number;
  /** the low-res mask as run lengths plus mean logits inside/outside: kept for every frame */
  summary: MaskSummary;
  /** selected low-res logits [4h·4w] after the no-object replacement and hole filling; may be evicted */
  predMasks: Float32Array | null;
  /** memory features, token-major [T, D] (bf16 bits or float32 per the pack); null until encoded or after eviction */
  maskmem: StoredMemory | null;
  /** binarize flag the memory is (re)encoded with: true on prompted frames */
  memFromPrompt: boolean;
}

/** The alternatives of the last single-click decoder call on a frame (multimask). */
export interface CandidateSet {
  frame: number;
  /** three gated low-res masks (tokens 1..3) */
  masks: Float32Array[];
  /** their object pointers */
  pointers: Float32Array[];
  iou: number[];
  /** index 0..2 currently used */
  chosen: number;
  score: number;
}

export interface ObjectState {
  id: number;
  /** user points per frame, model space */
  points: Map<number, StoredPoints>;
  /** frames whose prompt is a mask */
  maskFrames: Set<number>;
  cond: Map<number, FrameOut>;
  nonCond: Map<number, FrameOut>;
  /** outputs of prompts not yet merged into `cond` (merged by the preflight of a propagation) */
  temp: Map<number, FrameOut>;
  /** frames visited by propagation and the direction they were visited in (last wins) */
  tracked: Map<number, { reverse: boolean }>;
  candidates: CandidateSet | null;
}

export function newObjectState(id: number): ObjectState {
  return { id, points: new Map(), maskFrames: new Set(), cond: new Map(), nonCond: new Map(), temp: new Map(), tracked: new Map(), candidates: null };
}

/** What the object shows on a frame: newest first (temp, then cond, then non-cond). */
export function currentOutput(o: ObjectState, frame: number): { out: FrameOut; isCond: boolean } | null {
  const t = o.temp.get(frame);
  if (t) return { out: t, isCond: true };
  const c = o.cond.get(frame);
  if (c) return { out: c, isCond: true };
  const n = o.nonCond.get(frame);
  if (n) return { out: n, isCond: false };
  return null;
}

/** Frames the object has prompts on (points or mask), ascending. */
export function promptedFrames(o: ObjectState): number[] {
  return [...new Set([...o.points.keys(), ...o.maskFrames])].sort((a, b) => a - b);
}
