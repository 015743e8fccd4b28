// Propagation (spec 8.5–8.6, official predictor): the preflight merges prompt outputs into the
// conditioning outputs and encodes their memory (binarized masks), then frames are visited in
// order; conditioning outputs are reused, every other frame is tracked with memory attention
// and its output (with freshly encoded memory) replaces any earlier one.
import type { Sam2Core } from './engine-core';
import { EngineError } from './errors';
import { frameResult, type FrameResult, type OutputOptions } from './frame-output';
import { propagationOrder } from './memory-plan';
import type { StoredMemory } from './memory-assembly';
import { propagationAhead } from './preencode-plan';
import type { FrameOut, ObjectState } from './object-state';
import { runTrackSteps } from './track-step';

export interface PropagatedFrame extends FrameResult {
  /** position in this propagation (0-based) and its frame count */
  index: number;
  total: number;
}

export function checkAllPrompted(objects: readonly ObjectState[]): void {
  if (objects.length === 0) throw new EngineError('NO_PROMPTS', 'there are no objects to track: add points, a box or a mask first');
  for (const o of objects) {
    if (o.cond.size === 0 && o.temp.size === 0) {
      throw new EngineError('NO_PROMPTS', `object ${o.id} has no prompts on any frame: prompt it or remove it before propagating`);
    }
  }
}

/** Encodes the memory of pending prompt outputs (batched per frame) and merges them into `cond`. */
export async function preflight(core: Sam2Core, objects: readonly ObjectState[]): Promise<void> {
  const byFrame = new Map<number, FrameOut[]>();
  for (const o of objects) {
    for (const [f, out] of o.temp) {
      if (out.maskmem) continue;
      const list = byFrame.get(f);
      if (list) list.push(out);
      else byFrame.set(f, [out]);
    }
  }
  const encoded = new Map<FrameOut, StoredMemory>();
  for (const [f, outs] of byFrame) {
    const mems = await core.encodeMemory(
      f,
      outs.map((o) => ({ lowRes: core.lowResOf(o), score: o.score, binarize: true })),
    );
    outs.forEach((o, i) => encoded.set(o, mems[i]!));
  }
  // commit only after every encoding succeeded, so a failure leaves the state as it was
  for (const [out, mem] of encoded) out.maskmem = mem;
  for (const o of objects) {
    for (const [f, out] of o.temp) o.cond.set(f, out);
    o.temp.clear();
    for (const f of o.cond.keys()) {
      const old = o.nonCond.get(f);
      if (old) {
        core.lru.forget(old);
        o.nonCond.delete(f);
      }
    }
  }
}

/** Outputs the next step of a propagation may still read: the last num_maskmem − 1 frames. */
function protectedWindow(objects: readonly ObjectState[], frame: number, reverse: boolean, numMaskmem: number): Set<FrameOut> {
  const keep = new Set<FrameOut>();
  for (const o of objects) {
    for (let k = 0; k < numMaskmem - 1; k++) {
      const out = o.nonCond.get(reverse ? frame + k : frame - k);
      if (out) keep.add(out);
    }
  }
  return keep;
}

export interface PropagateRun extends OutputOptions {
  start: number;
  maxFrames: number;
  reverse: boolean;
  signal?: AbortSignal;
}

export async function* propagateFrames(core: Sam2Core, objects: readonly ObjectState[], run: PropagateRun): AsyncGenerator<PropagatedFrame> {
  const numFrames = core.source.numFrames;
  const order = propagationOrder(run.start, run.maxFrames, numFrames, run.reverse);
  core.sizeOutputBudget(objects.length);
  // the frames just ahead (pre-encoded ones among them) keep their features until they are tracked
  const ahead = 2 * core.preencodeRadius + 1;
  try {
    yield* visit(core, objects, run, order, ahead);
  } finally {
    core.propagationAhead = new Set();
  }
}

async function* visit(core: Sam2Core, objects: readonly ObjectState[], run: PropagateRun, order: number[], ahead: number): AsyncGenerator<PropagatedFrame> {
  const numFrames = core.source.numFrames;
  for (let i = 0; i < order.length; i++) {
    if (run.signal?.aborted) throw new EngineError('CANCELLED', `propagation cancelled after ${i} of ${order.length} frames`, { done: i, total: order.length });
    const f = order[i]!;
    core.propagationAhead = new Set([f, ...propagationAhead(order, i, ahead)]);
    const reqs = objects.filter((o) => !o.cond.has(f)).map((obj) => ({ obj, isInitCond: false, reverse: run.reverse, points: null, prevLogits: null }));
    const results = reqs.length ? await runTrackSteps(core, f, reqs, { runMemEncoder: true, numFrames }) : [];
    // commit the whole frame at once: a cancellation between frames leaves every object consistent
    results.forEach((r, k) => {
      const o = reqs[k]!.obj;
      const old = o.nonCond.get(f);
      if (old) core.lru.forget(old);
      o.nonCond.set(f, r.out);
      core.lru.touch(r.out);
    });
    for (const o of objects) o.tracked.set(f, { reverse: run.reverse });
    core.lru.enforce(protectedWindow(objects, f, run.reverse, core.m.numMaskmem));
    core.propagationAhead.delete(f);
    // features of a tracked frame are not needed again (unless conditioning or in the window)
    core.releaseTracked(f);
    yield { ...frameResult(core, objects, f, run), index: i, total: order.length };
  }
}
