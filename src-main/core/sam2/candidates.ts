// The multimask alternatives of a single click (spec 5.3): kept per object for the last click so
// the UI can offer them (Tab), shown and stored hole-filled like any output.
import type { Sam2Core } from './engine-core';
import { videoMask } from './frame-output';
import { fillHoles } from './hole-fill';
import { summarizeMask } from './low-res-rle';
import { NO_OBJ_SCORE } from './mask-decision';
import type { CandidateSet, FrameOut, ObjectState } from './object-state';
import type { StepResult } from './track-step';

export interface Candidates {
  objId: number;
  frame: number;
  /** the three multimask alternatives as H×W 0/1 masks */
  masks: Uint8Array[];
  iou: number[];
  /** index (0..2) of the alternative in use */
  chosen: number;
}

/** Tokens 1..3 of a multimask decoder call, gated by the object score like the chosen mask. */
export function candidateSet(r: StepResult, frame: number, L: number, C: number): CandidateSet {
  const tokens = [1, 2, 3];
  return {
    frame,
    masks: tokens.map((k) => (r.out.score > 0 ? r.lowRes4.slice(k * L * L, (k + 1) * L * L) : new Float32Array(L * L).fill(NO_OBJ_SCORE))),
    pointers: tokens.map((k) => r.pointers4.slice(k * C, (k + 1) * C)),
    iou: tokens.map((k) => r.iou4[k]!),
    chosen: r.choice.maskToken - 1,
    score: r.out.score,
  };
}

function stored(core: Sam2Core, m: Float32Array): Float32Array {
  return core.fillHoleArea > 0 ? fillHoles(m, core.L, core.L, core.fillHoleArea) : m.slice();
}

/**
 * The alternatives at video resolution. `known`: a mask already upsampled for the same click (the
 * chosen alternative is the object's output): an alternative with exactly those logits reuses it
 * instead of upsampling again (a click's latency, not its result).
 */
export function candidatesView(core: Sam2Core, obj: ObjectState, known?: { logits: Float32Array; mask: Uint8Array }): Candidates | null {
  const c = obj.candidates;
  if (!c) return null;
  const masks = c.masks.map((m) => {
    const logits = stored(core, m);
    return known && sameFloats(logits, known.logits) ? known.mask.slice() : videoMask(core, logits);
  });
  return { objId: obj.id, frame: c.frame, masks, iou: [...c.iou], chosen: c.chosen };
}

function sameFloats(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  // bit patterns, so that -0 / NaN cannot make two different inputs look alike
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** The output that alternative `index` stands for: its mask and its token's pointer, same score. */
export function candidateOutput(core: Sam2Core, c: CandidateSet, index: number): FrameOut {
  const pred = stored(core, c.masks[index]!);
  return {
    objPtr: c.pointers[index]!.slice(),
    score: c.score,
    iou: c.iou[index]!,
    summary: summarizeMask(pred),
    predMasks: pred,
    maskmem: null,
    memFromPrompt: true,
  };
}
