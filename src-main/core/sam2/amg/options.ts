// Settings of automatic mask generation, named as the official SAM2AutomaticMaskGenerator's
// arguments (camelCase), with its defaults, and their validation: a bad value is refused with
// the option's name and what is wrong before any work starts.
import { EngineError } from '../errors';

export interface AmgOptions {
  /** grid points along each side of the frame (crop layer 0); total points = n² */
  pointsPerSide: number;
  /** points per mask-decoder call (the decoder's batch size) */
  pointsPerBatch: number;
  /** keep masks whose predicted IoU is above this (0 = no filter) */
  predIouThresh: number;
  /** keep masks whose stability score is at least this (0 = no filter) */
  stabilityScoreThresh: number;
  /** the logit cutoff shift used for the stability score */
  stabilityScoreOffset: number;
  /** logits above this are foreground */
  maskThreshold: number;
  /** box IoU above which the lower-scored of two masks of one crop is dropped */
  boxNmsThresh: number;
  /** extra crop layers; layer i has (2^i)² crops */
  cropNLayers: number;
  /** box IoU threshold of the NMS between crops (smaller crops win) */
  cropNmsThresh: number;
  /** overlap of neighbouring crops in layer 1, as a fraction of the frame's short side */
  cropOverlapRatio: number;
  /** points per side in crop layer i are pointsPerSide / factor^i */
  cropNPointsDownscaleFactor: number;
  /**
   * Official SAM 2 clean-up (max_hole_area = max_sprinkle_area): on the decoder's low-res
   * logits, background components of at most this many low-res pixels become foreground, then
   * foreground components of at most this many become background (8-connected). 0 = off.
   */
  minMaskRegionArea: number;
  /**
   * SAM 1's clean-up (the SAM 2 class keeps it as `postprocess_small_regions`, not called by
   * `generate`): at video resolution, holes then islands smaller than this many pixels are
   * removed, and box NMS runs again preferring unchanged masks. 0 = off.
   */
  postprocessMinArea: number;
  /** one refinement step per mask with its own low-res logits as mask prompt */
  useM2m: boolean;
  /** the three multimask tokens per point (true) or the single-mask rule (false) */
  multimaskOutput: boolean;
}

export const AMG_DEFAULTS: Readonly<AmgOptions> = Object.freeze({
  pointsPerSide: 32,
  pointsPerBatch: 64,
  predIouThresh: 0.8,
  stabilityScoreThresh: 0.95,
  stabilityScoreOffset: 1.0,
  maskThreshold: 0.0,
  boxNmsThresh: 0.7,
  cropNLayers: 0,
  cropNmsThresh: 0.7,
  cropOverlapRatio: 512 / 1500,
  cropNPointsDownscaleFactor: 1,
  minMaskRegionArea: 0,
  postprocessMinArea: 0,
  useM2m: false,
  multimaskOutput: true,
});

type Rule = { kind: 'int' | 'number' | 'bool'; min?: number; max?: number };

// Upper bounds keep a typo from starting hours of work (or an allocation that cannot succeed).
const RULES: Record<keyof AmgOptions, Rule> = {
  pointsPerSide: { kind: 'int', min: 1, max: 256 },
  pointsPerBatch: { kind: 'int', min: 1, max: 4096 },
  predIouThresh: { kind: 'number', min: 0, max: 1 },
  stabilityScoreThresh: { kind: 'number', min: 0, max: 1 },
  stabilityScoreOffset: { kind: 'number', min: 0 },
  maskThreshold: { kind: 'number' },
  boxNmsThresh: { kind: 'number', min: 0, max: 1 },
  cropNLayers: { kind: 'int', min: 0, max: 4 },
  cropNmsThresh: { kind: 'number', min: 0, max: 1 },
  cropOverlapRatio: { kind: 'number', min: 0, max: 1 },
  cropNPointsDownscaleFactor: { kind: 'int', min: 1 },
  minMaskRegionArea: { kind: 'number', min: 0 },
  postprocessMinArea: { kind: 'number', min: 0 },
  useM2m: { kind: 'bool' },
  multimaskOutput: { kind: 'bool' },
};

/** Defaults filled in and every given value checked; throws EngineError BAD_ARGUMENT naming the option. */
export function resolveAmgOptions(given: Partial<AmgOptions> = {}): AmgOptions {
  if (!given || typeof given !== 'object') throw new EngineError('BAD_ARGUMENT', 'segment-everything options must be an object');
  for (const key of Object.keys(given)) {
    if (!(key in RULES)) throw new EngineError('BAD_ARGUMENT', `unknown segment-everything option "${key}" (known: ${Object.keys(RULES).join(', ')})`);
  }
  const out = { ...AMG_DEFAULTS } as AmgOptions;
  for (const [key, rule] of Object.entries(RULES) as [keyof AmgOptions, Rule][]) {
    const v = given[key];
    if (v === undefined) continue;
    if (rule.kind === 'bool') {
      if (typeof v !== 'boolean') throw new EngineError('BAD_ARGUMENT', `${key} must be true or false, got ${JSON.stringify(v)}`);
    } else {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new EngineError('BAD_ARGUMENT', `${key} must be a finite number, got ${JSON.stringify(v)}`);
      if (rule.kind === 'int' && !Number.isInteger(v)) throw new EngineError('BAD_ARGUMENT', `${key} must be an integer, got ${v}`);
      if (rule.min !== undefined && v < rule.min) throw new EngineError('BAD_ARGUMENT', `${key} must be at least ${rule.min}, got ${v}`);
      if (rule.max !== undefined && v > rule.max) throw new EngineError('BAD_ARGUMENT', `${key} must be at most ${rule.max}, got ${v}`);
    }
    (out as unknown as Record<string, unknown>)[key] = v;
  }
  return out;
}
