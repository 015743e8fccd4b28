// What a caller receives for a frame: every object's current output as a binary mask at video
// resolution (direct bilinear resize of the low-res logits, threshold > 0; spec 9.4), its
// object score logit and, on request, the low-res logits.
import type { Sam2Core } from './engine-core';
import { NO_OBJ_SCORE } from './mask-decision';
import { currentOutput, type ObjectState } from './object-state';
import { snapshotOf, type OutputSnapshot } from './output-snapshot';
import { upsampleMask, upsamplePlan, type UpsamplePlan } from './upsample-cells';

export interface OutputOptions {
  /** binary masks at video resolution (default true) */
  masks?: boolean;
  /** low-res logits (after the no-object replacement) */
  lowRes?: boolean;
  /** only these objects (default: all); a propagation also tracks only these */
  objIds?: number[];
  /** each object with an output also carries its serializable state (output-snapshot.ts) */
  snapshot?: boolean;
}

export interface ObjectFrameResult {
  objId: number;
  /** object score logit; NO_OBJ_SCORE when the object has no output on this frame */
  scoreLogit: number;
  /** H×W, 0/1 */
  mask?: Uint8Array;
  /** 4h×4w logits */
  lowRes?: Float32Array;
  /** a prompted (conditioning) frame of this object */
  isCond: boolean;
  /** false when the object has no output on this frame (empty mask) */
  hasOutput: boolean;
  /** with OutputOptions.snapshot, for objects that have an output here */
  snapshot?: OutputSnapshot;
}

export interface FrameResult {
  frame: number;
  objects: ObjectFrameResult[];
}

/** Upsampling plans by (L, H, W): one video size per engine, a few at most in a process. */
const plans = new Map<string, UpsamplePlan>();

function planFor(L: number, H: number, W: number): UpsamplePlan {
  const key = `${L}:${H}:${W}`;
  let p = plans.get(key);
  if (!p) {
    if (plans.size >= 4) plans.delete(plans.keys().next().value!);
    p = upsamplePlan(L, L, H, W);
    plans.set(key, p);
  }
  return p;
}

/**
 * An output's mask at video resolution: bilinear upsampling of the low-res logits, `> 0`. Walked
 * cell by cell (upsample-cells.ts): the same bytes as upsampling every pixel, but only the cells
 * the mask's edge passes through are computed — this runs per object per frame.
 */
export function videoMask(core: Sam2Core, lowRes: Float32Array): Uint8Array {
  const H = core.source.height;
  const W = core.source.width;
  return upsampleMask(lowRes, planFor(core.L, H, W), 0, new Uint8Array(H * W));
}

export function frameResult(core: Sam2Core, objects: Iterable<ObjectState>, frame: number, opts: OutputOptions = {}): FrameResult {
  const H = core.source.height;
  const W = core.source.width;
  const res: ObjectFrameResult[] = [];
  const only = opts.objIds ? new Set(opts.objIds) : null;
  for (const o of objects) {
    if (only && !only.has(o.id)) continue;
    const cur = currentOutput(o, frame);
    if (!cur) {
      res.push({
        objId: o.id,
        scoreLogit: NO_OBJ_SCORE,
        isCond: false,
        hasOutput: false,
        ...(opts.masks !== false ? { mask: new Uint8Array(H * W) } : {}),
        ...(opts.lowRes ? { lowRes: new Float32Array(core.L * core.L).fill(NO_OBJ_SCORE) } : {}),
      });
      continue;
    }
    const logits = core.lowResOf(cur.out);
    res.push({
      objId: o.id,
      scoreLogit: cur.out.score,
      isCond: cur.isCond,
      hasOutput: true,
      ...(opts.masks !== false ? { mask: videoMask(core, logits) } : {}),
      ...(opts.lowRes ? { lowRes: logits.slice() } : {}),
      ...(opts.snapshot ? { snapshot: snapshotOf(core, o, frame)! } : {}),
    });
  }
  return { frame, objects: res };
}
