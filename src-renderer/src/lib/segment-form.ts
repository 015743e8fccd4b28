// The "Segment everything" panel's knobs → a segment.everything request, and how much work a run
// is (its time: segment-estimate.ts). Pure, table-tested. Defaults are the official SAM2AutomaticMaskGenerator's
// (docs/amg.md); the density choices stop at 64 per side because the mask decoder is the cost
// and it grows with the square of it.
import type { SegmentEverythingRequest } from '$api/contract';

export const DENSITIES = [8, 16, 32, 64] as const;
/** points per decoder call: the services' default (the official generator's), which the panel does not change */
export const AMG_POINTS_PER_BATCH = 64;
export type Density = (typeof DENSITIES)[number];

export interface SegmentForm {
  /** grid points per side of the frame */
  pointsPerSide: number;
  predIouThresh: number;
  stabilityScoreThresh: number;
  boxNmsThresh: number;
  /** 0: the whole frame only; 1: also 4 overlapping crops, each encoded and searched on its own */
  cropNLayers: number;
  /** holes and specks up to this many low-res pixels are cleaned up (0 = off) */
  minMaskRegionArea: number;
  useM2m: boolean;
}

export const SEGMENT_DEFAULTS: Readonly<SegmentForm> = Object.freeze({
  pointsPerSide: 32,
  predIouThresh: 0.8,
  stabilityScoreThresh: 0.95,
  boxNmsThresh: 0.7,
  cropNLayers: 0,
  minMaskRegionArea: 0,
  useM2m: false,
});

/** The largest clean-up area offered: the decoder's low-res map of a 1024 model is 256 × 256. */
export const MAX_REGION_AREA = 65_536;

export type SegmentRequestResult = { ok: true; args: SegmentEverythingRequest } | { ok: false; field: keyof SegmentForm; message: string };

const unit = (v: number) => Number.isFinite(v) && v >= 0 && v <= 1;

/** The request for `frame`, or which knob is wrong and why (the Run button says so). */
export function segmentRequest(frame: number, f: SegmentForm): SegmentRequestResult {
  if (!(DENSITIES as readonly number[]).includes(f.pointsPerSide))
    return { ok: false, field: 'pointsPerSide', message: `Density must be one of ${DENSITIES.join(', ')} points per side.` };
  if (!unit(f.predIouThresh)) return { ok: false, field: 'predIouThresh', message: 'The predicted-IoU threshold must be between 0 and 1.' };
  if (!unit(f.stabilityScoreThresh)) return { ok: false, field: 'stabilityScoreThresh', message: 'The stability threshold must be between 0 and 1.' };
  if (!unit(f.boxNmsThresh)) return { ok: false, field: 'boxNmsThresh', message: 'The box NMS threshold must be between 0 and 1.' };
  if (f.cropNLayers !== 0 && f.cropNLayers !== 1) return { ok: false, field: 'cropNLayers', message: 'Crop layers must be 0 or 1.' };
  if (!Number.isInteger(f.minMaskRegionArea) || f.minMaskRegionArea < 0 || f.minMaskRegionArea > MAX_REGION_AREA) {
    return { ok: false, field: 'minMaskRegionArea', message: `The minimum region area must be a whole number from 0 to ${MAX_REGION_AREA}.` };
  }
  return {
    ok: true,
    args: {
      frame,
      pointsPerSide: f.pointsPerSide,
      predIouThresh: f.predIouThresh,
      stabilityScoreThresh: f.stabilityScoreThresh,
      boxNmsThresh: f.boxNmsThresh,
      cropNLayers: f.cropNLayers,
      minMaskRegionArea: f.minMaskRegionArea,
      useM2m: f.useM2m,
    },
  };
}

export interface SegmentWork {
  /** grid points over all crops (the job's progress counts these) */
  points: number;
  /** image encodings: the frame (unless its features are cached) and every crop */
  crops: number;
  /** mask-decoder rows: one per point, twice with m2m */
  decoderRows: number;
}

/** Crop layer 1 has 4 crops with as many points per side as the frame (downscale factor 1). */
export function segmentWork(f: Pick<SegmentForm, 'pointsPerSide' | 'cropNLayers' | 'useM2m'>): SegmentWork {
  const crops = f.cropNLayers === 1 ? 5 : 1;
  const points = f.pointsPerSide ** 2 * crops;
  return { points, crops, decoderRows: points * (f.useM2m ? 2 : 1) };
}
