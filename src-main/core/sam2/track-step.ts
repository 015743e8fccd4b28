// One tracking step on one frame for several objects (spec 8.2): memory attention (or the
// no-memory embedding on an initial conditioning frame), the mask decoder, token selection and
// gating, optionally the memory encoder, and hole filling. Objects that share the frame run as
// batches: memory attention per memory layout (same number of memory frames and pointers),
// the decoder per point count, the memory encoder all together.
import type { Sam2Core } from './engine-core';
import type { DecoderOutput } from './graphs';
import { batchRows } from './scratch-pool';
import { fillHoles } from './hole-fill';
import { summarizeMask } from './low-res-rle';
import { assembleMemory, layoutKey, toTokens, type ObjectMemory } from './memory-assembly';
import { chooseToken, gateMask, useMultimask, type TokenChoice } from './mask-decision';
import { planMemory, type MemoryPlan, type SpatialMemory } from './memory-plan';
import type { FrameOut, ObjectState } from './object-state';
import { decoderPoints, type StoredPoints } from './points';

export interface StepRequest {
  obj: ObjectState;
  isInitCond: boolean;
  reverse: boolean;
  points: StoredPoints | null;
  /** previous logits (clamped to ±32) given as the mask prompt on refinement clicks */
  prevLogits: Float32Array | null;
}

export interface StepResult {
  out: FrameOut;
  /** the decoder's four masks [4·L²], IoUs [4] and pointers [4·C] of this object, before selection (views of the decoder's outputs: copy what you keep) */
  lowRes4: Float32Array;
  iou4: Float32Array;
  pointers4: Float32Array;
  choice: TokenChoice;
  plan: MemoryPlan | null;
}

function outputFor(obj: ObjectState, s: { frame: number; source: SpatialMemory['source'] }): FrameOut {
  const o = s.source === 'nonCond' ? obj.nonCond.get(s.frame) : obj.cond.get(s.frame);
  if (!o) throw new Error(`internal: object ${obj.id} has no ${s.source} output on frame ${s.frame}`);
  return o;
}

/** Splits items into groups by key, then into chunks of at most `size` (insertion order kept). */
export function batchGroups<T>(items: readonly T[], key: (t: T) => string, size: number): T[][] {
  const groups = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const g = groups.get(k);
    if (g) g.push(it);
    else groups.set(k, [it]);
  }
  const out: T[][] = [];
  for (const g of groups.values()) for (let i = 0; i < g.length; i += size) out.push(g.slice(i, i + size));
  return out;
}

/** The memory-conditioned image embeddings [C·hw] of the non-initial requests (by index). */
async function conditionedEmbeds(core: Sam2Core, frame: number, reqs: StepRequest[], plans: (MemoryPlan | null)[]): Promise<Map<number, Float32Array>> {
  const f = await core.features(frame);
  const { hw } = core;
  const C = core.m.hiddenDim;
  const mems: { idx: number; mem: ObjectMemory }[] = [];
  for (let i = 0; i < reqs.length; i++) {
    const plan = plans[i];
    if (!plan) continue;
    const obj = reqs[i]!.obj;
    const spatial = [];
    for (const s of plan.spatial) spatial.push({ feats: await core.ensureMemory(s.frame, outputFor(obj, s), s.source === 'nonCond'), row: s.row });
    const pointers = plan.pointers.map((p) => ({ ptr: outputFor(obj, p).objPtr, pos: core.pointerPos(p.dist, plan.tDiffMax) }));
    mems.push({ idx: i, mem: { spatial, pointers } });
  }
  const result = new Map<number, Float32Array>();
  if (mems.length === 0) return result;
  // the frame's features as queries: a pooled buffer, handed back once the attention calls read it
  const current = core.graphs.scratch.take(hw * C);
  toTokens(f.visionFeat, C, hw, current);
  try {
    await attendInGroups(core, mems, current, result);
  } finally {
    core.graphs.scratch.give(current);
  }
  return result;
}

/** Memory attention for each group of objects that share a memory layout, in calls capped by the attention budget. */
async function attendInGroups(
  core: Sam2Core,
  mems: { idx: number; mem: ObjectMemory }[],
  current: Float32Array,
  result: Map<number, Float32Array>,
): Promise<void> {
  const { hw } = core;
  const C = core.m.hiddenDim;
  const layout = { tokensPerMemory: core.memTokens, memDim: core.m.memDim, hiddenDim: C, posByRow: core.posByRow ?? [] };
  for (const group of batchGroups(mems, (x) => layoutKey(x.mem), core.batch ? Number.MAX_SAFE_INTEGER : 1)) {
    const M = group[0]!.mem.spatial.length * core.memTokens + (group[0]!.mem.pointers.length * C) / core.m.memDim;
    // the attention matrices grow with hw·M per object: cap the rows of one call
    const rows = Math.max(1, Math.min(core.batch ? core.maxBatch : 1, Math.floor(core.attentionBytes / (hw * M * 4 * 3))));
    for (let s = 0; s < group.length; s += rows) {
      const part = group.slice(s, s + rows);
      const inp = assembleMemory(
        part.map((x) => x.mem),
        layout,
      );
      const out = await core.graphs.memoryAttention(current, core.visionPosTokens!, inp.memory, inp.memoryPos, part.length, inp.M, inp.numPointerTokens);
      part.forEach((x, b) => result.set(x.idx, out.subarray(b * C * hw, (b + 1) * C * hw)));
    }
  }
}

export async function runTrackSteps(
  core: Sam2Core,
  frame: number,
  reqs: StepRequest[],
  opts: { runMemEncoder: boolean; numFrames: number },
): Promise<StepResult[]> {
  const f = await core.features(frame);
  const m = core.m;
  const { L } = core;
  const C = m.hiddenDim;
  const plans = reqs.map((r) =>
    r.isInitCond
      ? null
      : planMemory({
          frame,
          reverse: r.reverse,
          numFrames: opts.numFrames,
          condFrames: [...r.obj.cond.keys()],
          hasNonCond: (t) => r.obj.nonCond.has(t),
          numMaskmem: m.numMaskmem,
          maxCondFrames: m.maxCondFramesInAttn,
          maxObjPtrs: m.maxObjPtrsInEncoder,
        }),
  );
  const conditioned = await conditionedEmbeds(core, frame, reqs, plans);
  const noMem = reqs.some((r) => r.isInitCond) ? core.noMemoryEmbed(f.visionFeat) : null;

  const pts = reqs.map((r) => decoderPoints(r.points));
  const raw: { lowRes4: Float32Array; iou4: Float32Array; score: number; pointers4: Float32Array }[] = new Array(reqs.length);
  const idx = reqs.map((_, i) => i);
  for (const part of batchGroups(idx, (i) => String(pts[i]!.labels.length), core.batch ? core.maxBatch : 1)) {
    const B = part.length;
    const P = pts[part[0]!]!.labels.length;
    const embeds = batchRows(
      part.map((i) => conditioned.get(i) ?? noMem!),
      C * core.hw,
      (n) => core.graphs.scratch.take(n),
    );
    const coords = new Float32Array(B * P * 2);
    const labels = new Int32Array(B * P);
    const maskInput = new Float32Array(B * L * L);
    const hasMask = new Float32Array(B);
    part.forEach((i, b) => {
      coords.set(pts[i]!.coords, b * P * 2);
      labels.set(pts[i]!.labels, b * P);
      const prev = reqs[i]!.prevLogits;
      if (prev) {
        maskInput.set(prev, b * L * L);
        hasMask[b] = 1;
      }
    });
    let d: DecoderOutput;
    try {
      d = await core.graphs.maskDecoder({
        imageEmbed: embeds.data,
        featS0: f.featS0,
        featS1: f.featS1,
        coords,
        labels,
        maskInput,
        hasMask,
        batch: B,
        numPoints: P,
      });
    } finally {
      if (embeds.pooled) core.graphs.scratch.give(embeds.pooled);
    }
    // views of this call's outputs: what is kept (pointer, mask) is copied out below
    part.forEach((i, b) => {
      raw[i] = {
        lowRes4: d.lowRes.subarray(b * 4 * L * L, (b + 1) * 4 * L * L),
        iou4: d.iou.subarray(b * 4, (b + 1) * 4),
        score: d.score[b]!,
        pointers4: d.pointers.subarray(b * 4 * C, (b + 1) * 4 * C),
      };
    });
  }

  const selected = reqs.map((r, i) => {
    const x = raw[i]!;
    const multimask = useMultimask(pts[i]!.numUserPoints, r.isInitCond, m);
    const choice = chooseToken(multimask, x.lowRes4.subarray(0, L * L), x.iou4, {
      dynamicMultimaskViaStability: m.dynamicMultimaskViaStability,
      stabilityDelta: m.stabilityDelta,
      stabilityThresh: m.stabilityThresh,
    });
    const k = choice.maskToken;
    const mask = gateMask(x.lowRes4.subarray(k * L * L, (k + 1) * L * L), x.score);
    return { choice, mask, ptr: x.pointers4.slice(choice.pointerToken * C, (choice.pointerToken + 1) * C) };
  });

  // memory is encoded from the selected logits before hole filling, as the reference does
  const mems = opts.runMemEncoder
    ? await core.encodeMemory(
        frame,
        reqs.map((r, i) => ({ lowRes: selected[i]!.mask, score: raw[i]!.score, binarize: r.points !== null })),
      )
    : null;

  return reqs.map((r, i) => {
    const s = selected[i]!;
    const x = raw[i]!;
    const pred = core.fillHoleArea > 0 ? fillHoles(s.mask, L, L, core.fillHoleArea) : s.mask;
    const out: FrameOut = {
      objPtr: s.ptr,
      score: x.score,
      iou: x.iou4[s.choice.maskToken]!,
      summary: summarizeMask(pred),
      predMasks: pred,
      maskmem: mems ? mems[i]! : null,
      memFromPrompt: r.points !== null,
    };
    return { out, lowRes4: x.lowRes4, iou4: x.iou4, pointers4: x.pointers4, choice: s.choice, plan: plans[i]! };
  });
}
