// One batch of grid points through the decoder and the per-mask filters, in the official
// order (_process_batch): decode (one call, B = points, P = point + padding) → the three
// multimask tokens per point (or the single-mask rule) → optional mask-to-mask refinement →
// predicted-IoU filter → [low-res clean-up] → upsample to the crop → stability filter →
// threshold → box → drop boxes cut by a crop edge → mask back into the frame as RLE.
import type { Rle } from '../../../api/contract';
import { EngineError } from '../errors';
import { encodeMask } from '../../masks/rle';
import { chooseToken } from '../mask-decision';
import type { AmgBackend, AmgFeatures } from './backend';
import { isBoxNearCropEdge, maskToBox, uncropBox, type BoxXyxy } from './boxes';
import { lowResCleanup } from './components';
import { emptyTally, type FilterTally } from './funnel';
import { toModelCoord, type CropBox } from './grid';
import type { AmgOptions } from './options';
import { stabilityFromCounts } from './stability';
import { upsampleCounts, upsampleMask, upsamplePlan, type UpsamplePlan } from '../upsample-cells';

const fr = Math.fround;

/** Cancellation as the engine reports it everywhere: EngineError CANCELLED. */
export function throwIfCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new EngineError('CANCELLED', 'segment everything was cancelled');
}

/** A mask that passed a batch's filters, in frame coordinates. */
export interface Candidate {
  rle: Rle;
  /** XYXY, inclusive right/bottom, frame pixels */
  box: BoxXyxy;
  predictedIou: number;
  stabilityScore: number;
  /** the grid point that produced it, frame pixels (float32) */
  point: [number, number];
  cropBox: CropBox;
}

/** A crop being processed: its features and reusable pixel buffers. */
export interface CropRun {
  backend: AmgBackend;
  features: AmgFeatures;
  crop: CropBox;
  opts: AmgOptions;
  /** low-res → crop-resolution upsampling */
  plan: UpsamplePlan;
  /** cropH × cropW scratch for a candidate's binary mask */
  binary: Uint8Array;
  /** frame-size canvas for uncropping (crops smaller than the frame only) */
  canvas: Uint8Array | null;
}

export function newCropRun(backend: AmgBackend, features: AmgFeatures, crop: CropBox, opts: AmgOptions): CropRun {
  const w = crop[2] - crop[0];
  const h = crop[3] - crop[1];
  const L = backend.lowResSize;
  const whole = crop[0] === 0 && crop[1] === 0 && crop[2] === backend.width && crop[3] === backend.height;
  return {
    backend,
    features,
    crop,
    opts,
    plan: upsamplePlan(L, L, h, w),
    binary: new Uint8Array(w * h),
    canvas: whole ? null : new Uint8Array(backend.width * backend.height),
  };
}

interface Decoded {
  /** index of the point in the batch */
  point: number;
  /** L × L logits (a view into the decoder output) */
  lowRes: Float32Array;
  iou: number;
}

/** Grid points (crop pixels, float32, flat x,y) → decoder prompts: the point (label 1) and the padding point. */
function prompts(points: Float32Array, cropW: number, cropH: number, S: number): { coords: Float32Array; labels: Int32Array } {
  const n = points.length / 2;
  const coords = new Float32Array(n * 4);
  const labels = new Int32Array(n * 2);
  for (let i = 0; i < n; i++) {
    coords[i * 4] = toModelCoord(points[i * 2]!, cropW, S);
    coords[i * 4 + 1] = toModelCoord(points[i * 2 + 1]!, cropH, S);
    labels[i * 2] = 1;
    labels[i * 2 + 1] = -1;
  }
  return { coords, labels };
}

/** The masks of one decoder output: tokens 1..3 per row (multimask) or the single-mask rule's choice. */
function splitOutput(
  lowRes: Float32Array,
  iou: Float32Array,
  rows: number,
  L: number,
  multimask: boolean,
  run: CropRun,
  pointOf: (row: number) => number,
): Decoded[] {
  const plane = L * L;
  const out: Decoded[] = [];
  for (let b = 0; b < rows; b++) {
    const tokens = lowRes.subarray(b * 4 * plane, (b + 1) * 4 * plane);
    const scores = iou.subarray(b * 4, b * 4 + 4);
    if (multimask) {
      for (let k = 1; k <= 3; k++) out.push({ point: pointOf(b), lowRes: tokens.subarray(k * plane, (k + 1) * plane), iou: scores[k]! });
    } else {
      const k = chooseToken(false, tokens.subarray(0, plane), scores, run.backend.stabilityRule).maskToken;
      out.push({ point: pointOf(b), lowRes: tokens.subarray(k * plane, (k + 1) * plane), iou: scores[k]! });
    }
  }
  return out;
}

/** refine_with_m2m: every mask again with its point and its own clamped logits as mask prompt, single-mask output. */
async function refine(run: CropRun, masks: Decoded[], coords: Float32Array, signal?: AbortSignal): Promise<Decoded[]> {
  const L = run.backend.lowResSize;
  const plane = L * L;
  const out: Decoded[] = [];
  for (let s = 0; s < masks.length; s += run.opts.pointsPerBatch) {
    throwIfCancelled(signal);
    const part = masks.slice(s, s + run.opts.pointsPerBatch);
    const B = part.length;
    const c = new Float32Array(B * 4);
    const labels = new Int32Array(B * 2);
    const maskInput = new Float32Array(B * plane);
    part.forEach((d, i) => {
      c[i * 4] = coords[d.point * 4]!;
      c[i * 4 + 1] = coords[d.point * 4 + 1]!;
      labels[i * 2] = 1;
      labels[i * 2 + 1] = -1;
      for (let j = 0; j < plane; j++) {
        const v = d.lowRes[j]!;
        maskInput[i * plane + j] = v > 32 ? 32 : v < -32 ? -32 : v;
      }
    });
    const r = await run.backend.decode(run.features, { coords: c, labels, batch: B, numPoints: 2, maskInput });
    out.push(...splitOutput(r.lowRes, r.iou, B, L, false, run, (row) => part[row]!.point));
  }
  return out;
}

/** The filters after decoding, for one mask; null when it is dropped. `tally` counts what passed each. */
function evaluate(run: CropRun, d: Decoded, points: Float32Array, tally: FilterTally): Candidate | null {
  const { opts, crop, backend } = run;
  const L = backend.lowResSize;
  tally.bestIou = tally.bestIou === null ? d.iou : Math.max(tally.bestIou, d.iou);
  if (opts.predIouThresh > 0 && !(d.iou > fr(opts.predIouThresh))) return null;
  tally.afterIou++;
  const cropW = crop[2] - crop[0];
  const cropH = crop[3] - crop[1];
  const low = opts.minMaskRegionArea > 0 ? lowResCleanup(d.lowRes, L, L, opts.minMaskRegionArea, opts.maskThreshold) : d.lowRes;
  // the official generator upsamples to the crop, then counts and thresholds there
  const counts = upsampleCounts(low, run.plan, opts.maskThreshold + opts.stabilityScoreOffset, opts.maskThreshold - opts.stabilityScoreOffset);
  const stability = stabilityFromCounts(counts.inter, counts.union);
  tally.bestStability = tally.bestStability === null ? stability : Math.max(tally.bestStability, stability);
  if (opts.stabilityScoreThresh > 0 && !(stability >= fr(opts.stabilityScoreThresh))) return null;
  tally.afterStability++;
  upsampleMask(low, run.plan, opts.maskThreshold, run.binary);
  const box = maskToBox(run.binary, cropH, cropW);
  if (isBoxNearCropEdge(box, crop, [0, 0, backend.width, backend.height])) return null;
  tally.afterEdge++;
  return {
    rle: uncropToRle(run),
    box: uncropBox(box, crop),
    predictedIou: d.iou,
    stabilityScore: stability,
    point: [fr(points[d.point * 2]! + crop[0]), fr(points[d.point * 2 + 1]! + crop[1])],
    cropBox: crop,
  };
}

/** The crop's binary mask placed in the frame (zeros around it), row-major RLE. */
function uncropToRle(run: CropRun): Rle {
  const { backend, crop, binary, canvas } = run;
  if (!canvas) return encodeMask(binary, backend.height, backend.width);
  const cropW = crop[2] - crop[0];
  for (let y = crop[1]; y < crop[3]; y++) canvas.set(binary.subarray((y - crop[1]) * cropW, (y - crop[1] + 1) * cropW), y * backend.width + crop[0]);
  return encodeMask(canvas, backend.height, backend.width);
}

/** Runs one batch of grid points (crop pixels, flat float32 x,y); returns the masks that pass, in decoder order, and what each filter let through. */
export async function processBatch(
  run: CropRun,
  points: Float32Array,
  signal?: AbortSignal,
): Promise<{ candidates: Candidate[]; decoded: number; tally: FilterTally }> {
  const { backend, crop, opts } = run;
  const n = points.length / 2;
  const { coords, labels } = prompts(points, crop[2] - crop[0], crop[3] - crop[1], backend.imageSize);
  throwIfCancelled(signal);
  const r = await backend.decode(run.features, { coords, labels, batch: n, numPoints: 2 });
  let masks = splitOutput(r.lowRes, r.iou, n, backend.lowResSize, opts.multimaskOutput, run, (row) => row);
  if (opts.useM2m) masks = await refine(run, masks, coords, signal);
  const candidates: Candidate[] = [];
  const tally = emptyTally();
  tally.decoded = masks.length;
  for (const d of masks) {
    const c = evaluate(run, d, points, tally);
    if (c) candidates.push(c);
  }
  return { candidates, decoded: masks.length, tally };
}
