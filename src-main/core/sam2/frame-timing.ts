// One tracked frame timed on this machine (the models screen's speed of a pack, measured when the
// pack is first used): the four graphs as a tracked frame of one object with one memory frame and
// one pointer runs them — image encoder on a real frame, memory encoder, memory attention, mask
// decoder — plus the TypeScript preprocessing. It calls the graphs directly and leaves the
// predictor's objects, caches and counters' meaning untouched (only the timing totals grow).
// Then one mask-decoder batch as segment everything runs it (AMG_DEFAULTS.pointsPerBatch points
// on one frame's features, timed on its second call), which the Segment panel's time estimate is
// based on.
import { tile } from './amg/backend';
import { AMG_DEFAULTS } from './amg/options';
import type { Sam2Core } from './engine-core';
import type { GraphName } from './manifest';
import { assembleMemory, positionsByRow, toTokens } from './memory-assembly';
import { preprocessFrame } from './preprocess';

export interface FrameTiming {
  /** wall time of the whole frame, ms */
  ms: number;
  graphs: Record<GraphName, number>;
  /** one segment-everything decoder call: `batch` points, ms (not part of `ms`) */
  amgBatch: { batch: number; ms: number };
}

export async function timeTrackedFrame(core: Sam2Core, frame: number): Promise<FrameTiming> {
  const m = core.m;
  const { hw, L, memTokens: T } = core;
  const C = m.hiddenDim;
  const D = m.memDim;
  const t0 = performance.now();
  const at = () => performance.now();
  const graphs = {} as Record<GraphName, number>;

  let t = at();
  const px = preprocessFrame(await core.source.read(frame), m.imageSize, m.pixelMean, m.pixelStd);
  const e = await core.graphs.imageEncoder(px);
  graphs.image_encoder = at() - t;

  // a memory of this frame (as if it were the previous one) with a centred blob as its mask
  const mask = new Float32Array(L * L).map((_, i) => (Math.hypot((i % L) - L / 2, Math.floor(i / L) - L / 2) < L / 4 ? 8 : -8));
  t = at();
  const me = await core.graphs.memoryEncoder(e.visionFeat, mask, Float32Array.of(1), Float32Array.of(1));
  graphs.memory_encoder = at() - t;
  const feats = m.memoryTokenMajor ? me.features.slice(0, T * D) : toTokens(me.features, D, T);
  const posTokens = m.memoryTokenMajor ? me.posEnc.slice(0, T * D) : toTokens(me.posEnc.subarray(0, T * D), D, T);
  const posByRow = positionsByRow(posTokens, core.p.memoryTemporalPosEnc, D, T, m.numMaskmem);
  const inp = assembleMemory([{ spatial: [{ feats, row: m.numMaskmem - 1 }], pointers: [{ ptr: core.p.noObjectPointer, pos: core.pointerPos(1, 1) }] }], {
    tokensPerMemory: T,
    memDim: D,
    hiddenDim: C,
    posByRow,
  });

  t = at();
  const current = toTokens(e.visionFeat, C, hw);
  const pos = toTokens(e.visionPos, C, hw);
  const cond = await core.graphs.memoryAttention(current, pos, inp.memory, inp.memoryPos, 1, inp.M, inp.numPointerTokens);
  graphs.memory_attention = at() - t;

  t = at();
  await core.graphs.maskDecoder({
    imageEmbed: cond,
    featS0: e.featS0,
    featS1: e.featS1,
    coords: Float32Array.of(m.imageSize / 2, m.imageSize / 2, 0, 0),
    labels: Int32Array.of(1, -1),
    maskInput: new Float32Array(L * L),
    hasMask: new Float32Array(1),
    batch: 1,
    numPoints: 2,
  });
  graphs.mask_decoder = at() - t;
  const ms = at() - t0;

  // segment everything's decoder call: B grid points (and the padding point) on tiled features
  const B = AMG_DEFAULTS.pointsPerBatch;
  const coords = new Float32Array(B * 4);
  for (let i = 0; i < B; i++) coords.set([((i % 8) + 0.5) * (m.imageSize / 8), ((Math.floor(i / 8) % 8) + 0.5) * (m.imageSize / 8), 0, 0], i * 4);
  const embed = tile(cond, B);
  const s0 = tile(e.featS0, B);
  const s1 = tile(e.featS1, B);
  const call = () =>
    core.graphs.maskDecoder({
      imageEmbed: embed,
      featS0: s0,
      featS1: s1,
      coords,
      labels: new Int32Array(B * 2).map((_, i) => (i % 2 === 0 ? 1 : -1)),
      maskInput: new Float32Array(B * L * L),
      hasMask: new Float32Array(B),
      batch: B,
      numPoints: 2,
    });
  // the first call of a new batch shape also plans the graph's memory: the second is what a run's calls cost
  await call();
  t = at();
  await call();
  return { ms, graphs, amgBatch: { batch: B, ms: at() - t } };
}
