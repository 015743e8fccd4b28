// The "Segment everything" panel's knobs → a segment.everything request, and what a run will
// cost. Pure, table-tested. Defaults are the official SAM2AutomaticMaskGenerator's
// (docs/amg.md); the density choices stop at 64 per side because the mask decoder is the cost
// and it grows with the square of it.
import type { ProviderName, SegmentEverythingRequest } from '$api/contract';

export const DENSITIES = [8, 16, 32, 64] as const;
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
  if (!(DENSITIES as readonly number[]).includes(f.pointsPerSide)) return { ok: false, field: 'pointsPerSide', message: `Density must be one of ${DENSITIES.join(', ')} points per side.` };
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

/**
 * Measured on the development machine (docs/amg.md, 2 CPU cores, hiera-tiny at 1024 input):
 * about 40 ms of mask decoder per point at the default batch and 5.5 s per image encoding.
 * Both scale with the model's input area, so smaller packs are estimated in proportion.
 */
export const CPU_MS_PER_POINT_1024 = 40;
export const CPU_MS_PER_ENCODE_1024 = 5500;

/** Seconds a run should take on a CPU, or null when no measurement applies (CUDA, no model yet). */
export function estimateSeconds(w: SegmentWork, model: { imageSize: number; provider: ProviderName } | null): number | null {
  if (!model || model.provider !== 'cpu' || !(model.imageSize > 0)) return null;
  const scale = (model.imageSize / 1024) ** 2;
  // the frame's own features are usually cached by an earlier click; the crops never are
  const encodes = w.crops - 1;
  return (w.decoderRows * CPU_MS_PER_POINT_1024 + encodes * CPU_MS_PER_ENCODE_1024) * scale / 1000;
}

/** "1,024 points · ≈ 41 s on the CPU" */
export function describeWork(w: SegmentWork, seconds: number | null): string {
  const pts = `${w.points.toLocaleString('en-US')} points`;
  if (seconds === null) return pts;
  const t = seconds < 1 ? '< 1 s' : seconds < 90 ? `≈ ${Math.round(seconds)} s` : `≈ ${Math.round(seconds / 60)} min`;
  return `${pts} · ${t} on the CPU`;
}
