// Automatic mask generation on one video frame with the semantics of the official
// SAM2AutomaticMaskGenerator (sam2/automatic_mask_generator.py): for every crop (the frame, then
// the crop layers), grid points in batches through the decoder and the per-mask filters
// (batch.ts), box NMS within the crop by predicted IoU; then NMS across crops preferring
// smaller crops; then, optionally, SAM 1's small-region post-processing. Records carry the
// official fields. Progress is reported in grid points; the signal cancels between decoder
// calls with EngineError CANCELLED.
import type { AmgStats, Rle } from '../../../api/contract';
import { rleArea } from '../../masks/rle';
import type { AmgBackend } from './backend';
import { newCropRun, processBatch, throwIfCancelled, type Candidate } from './batch';
import { boxXyxyToXywh, cropArea } from './boxes';
import { addTally, buildFunnel, emptyTally } from './funnel';
import { buildAllLayerPointGrids, generateCropBoxes, gridToCropPixels } from './grid';
import { nms } from './nms';
import { resolveAmgOptions, type AmgOptions } from './options';
import { postprocessSmallRegions } from './postprocess';

/** One proposed mask, with the official generator's fields. */
export interface AmgMask {
  /** row-major RLE at frame resolution */
  segmentation: Rle;
  /** foreground pixels */
  area: number;
  /** XYWH as the official code: [x0, y0, x1 − x0, y1 − y0] with x1/y1 the last foreground column/row */
  bbox: [number, number, number, number];
  predictedIou: number;
  /** the grid point that produced the mask, frame pixels */
  pointCoords: [number, number][];
  stabilityScore: number;
  /** XYWH of the crop the mask came from */
  cropBox: [number, number, number, number];
}

export interface AmgProgress {
  /** grid points processed, over all crops */
  done: number;
  total: number;
  /** crop being processed (0 = the whole frame) and the number of crops */
  crop: number;
  crops: number;
}

export interface AmgRunOptions {
  signal?: AbortSignal;
  onProgress?: (p: AmgProgress) => void;
}

export type { AmgStats };

export interface AmgResult {
  masks: AmgMask[];
  stats: AmgStats;
  options: AmgOptions;
}

/** Proposes every object on `frame`. Options not given take the official defaults. */
export async function generateMasks(backend: AmgBackend, frame: number, options: Partial<AmgOptions> = {}, run: AmgRunOptions = {}): Promise<AmgResult> {
  const opts = resolveAmgOptions(options);
  const t0 = performance.now();
  const before = backend.timing();
  const { boxes: crops, layerIdx } = generateCropBoxes(backend.height, backend.width, opts.cropNLayers, opts.cropOverlapRatio);
  const grids = buildAllLayerPointGrids(opts.pointsPerSide, opts.cropNLayers, opts.cropNPointsDownscaleFactor);
  const total = layerIdx.reduce((s, l) => s + grids[l]!.length / 2, 0);
  let done = 0;
  let decoded = 0;
  let passed = 0;
  const tally = emptyTally();
  let all: Candidate[] = [];
  run.onProgress?.({ done, total, crop: 0, crops: crops.length });

  for (const [ci, crop] of crops.entries()) {
    throwIfCancelled(run.signal);
    const whole = ci === 0;
    const features = whole ? await backend.frameFeatures(frame) : await backend.cropFeatures(frame, crop);
    const cropRun = newCropRun(backend, features, crop, opts);
    const points = gridToCropPixels(grids[layerIdx[ci]!]!, crop[2] - crop[0], crop[3] - crop[1]);
    const found: Candidate[] = [];
    const step = opts.pointsPerBatch * 2;
    for (let s = 0; s < points.length; s += step) {
      const r = await processBatch(cropRun, points.subarray(s, s + step), run.signal);
      found.push(...r.candidates);
      decoded += r.decoded;
      addTally(tally, r.tally);
      done += Math.min(step, points.length - s) / 2;
      run.onProgress?.({ done, total, crop: ci, crops: crops.length });
    }
    passed += found.length;
    // duplicates within the crop: the better predicted IoU wins
    const keep = nms(
      found.map((c) => c.box),
      found.map((c) => c.predictedIou),
      opts.boxNmsThresh,
    );
    all.push(...keep.map((i) => found[i]!));
  }
  const afterBoxNms = all.length;

  if (crops.length > 1) {
    // duplicates between crops: the mask from the smaller crop wins (score 1 / crop area, float32)
    const keep = nms(
      all.map((c) => c.box),
      all.map((c) => Math.fround(1 / cropArea(c.cropBox))),
      opts.cropNmsThresh,
    );
    all = keep.map((i) => all[i]!);
  }
  const afterCropNms = all.length;
  if (opts.postprocessMinArea > 0) all = postprocessSmallRegions(all, opts.postprocessMinArea, opts.boxNmsThresh);

  const masks = all.map(toRecord);
  const after = backend.timing();
  return {
    masks,
    options: opts,
    stats: {
      totalMs: performance.now() - t0,
      decoderMs: after.decoderMs - before.decoderMs,
      decoderCalls: after.decoderCalls - before.decoderCalls,
      encoderMs: after.encoderMs - before.encoderMs,
      crops: crops.length,
      points: total,
      decodedMasks: decoded,
      passedFilters: passed,
      kept: masks.length,
      funnel: buildFunnel(tally, { ...opts, crops: crops.length, afterBoxNms, afterCropNms, afterSmallRegions: masks.length }),
    },
  };
}

function toRecord(c: Candidate): AmgMask {
  return {
    segmentation: c.rle,
    area: rleArea(c.rle),
    bbox: boxXyxyToXywh(c.box),
    predictedIou: c.predictedIou,
    pointCoords: [c.point],
    stabilityScore: c.stabilityScore,
    cropBox: boxXyxyToXywh(c.cropBox),
  };
}
