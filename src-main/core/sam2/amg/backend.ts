// What the generator needs from a model: image features of the frame (or of a crop of it, for
// crop layers) with the no-memory embedding added, and batched mask-decoder calls on them.
// `predictorBackend` takes them from a video predictor: the frame's features come from its
// feature cache (shared with clicks and propagation), crops go through the same image encoder
// with the engine's exact preprocessing, and decoder calls use the pack's graph directly so a
// mask prompt can be given (mask-to-mask refinement) — no object state is touched.
import { EngineError } from '../errors';
import type { StabilityRule } from '../mask-decision';
import { preprocessFrame, type RgbFrame } from '../preprocess';
import type { Sam2VideoPredictor } from '../predictor';
import type { CropBox } from './grid';

export interface AmgFeatures {
  /** vision_feat + no_memory_embedding, [C, h, w] */
  imageEmbed: Float32Array;
  /** [C/8, 4h, 4w] */
  featS0: Float32Array;
  /** [C/4, 2h, 2w] */
  featS1: Float32Array;
}

export interface DecodeRequest {
  /** [B, P, 2] in S×S model pixels */
  coords: Float32Array;
  /** [B, P] */
  labels: Int32Array;
  batch: number;
  numPoints: number;
  /** [B, L, L] low-res logits used as mask prompts, or none */
  maskInput?: Float32Array | null;
}

export interface DecodeResult {
  /** [B, 4, L, L] raw logits of the four mask tokens */
  lowRes: Float32Array;
  /** [B, 4] */
  iou: Float32Array;
}

export interface AmgTiming {
  decoderMs: number;
  decoderCalls: number;
  encoderMs: number;
  encoderCalls: number;
}

export interface AmgBackend {
  /** frame size in pixels */
  readonly width: number;
  readonly height: number;
  /** model input size S */
  readonly imageSize: number;
  /** low-res mask side L (= 4 · feature side) */
  readonly lowResSize: number;
  /** the decoder's single-mask rule (used by mask-to-mask refinement) */
  readonly stabilityRule: StabilityRule;
  frameFeatures(frame: number): Promise<AmgFeatures>;
  cropFeatures(frame: number, crop: CropBox): Promise<AmgFeatures>;
  decode(f: AmgFeatures, req: DecodeRequest): Promise<DecodeResult>;
  /** graph time so far (the benchmark splits wall time with it) */
  timing(): AmgTiming;
}

/** Rows y0..y1−1, columns x0..x1−1 of an RGB frame. */
export function cropRgb(frame: RgbFrame, crop: CropBox): RgbFrame {
  const [x0, y0, x1, y1] = crop;
  const w = x1 - x0;
  const h = y1 - y0;
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) data.set(frame.data.subarray(((y0 + y) * frame.width + x0) * 3, ((y0 + y) * frame.width + x1) * 3), y * w * 3);
  return { width: w, height: h, data };
}

/** n copies of `a` back to back. */
export function tile(a: Float32Array, n: number): Float32Array {
  const out = new Float32Array(a.length * n);
  for (let i = 0; i < n; i++) out.set(a, i * a.length);
  return out;
}

export function predictorBackend(p: Sam2VideoPredictor): AmgBackend {
  const core = p.core;
  const m = core.m;
  const L = core.L;
  const embedded = new WeakMap<object, AmgFeatures>();
  // The decoder takes every input with batch B; copying a frame's features B times costs about
  // as much as a decoder call at 1024 input, so the copies for the current features are kept
  // (for the largest B so far; smaller batches use their first rows).
  let tiled: { f: AmgFeatures; b: number; embed: Float32Array; s0: Float32Array; s1: Float32Array } | null = null;
  let zeros = new Float32Array(0);
  const idle = () => {
    if (p.busyWith) throw new EngineError('BUSY', `the engine is busy (${p.busyWith}); segment everything when it is idle`);
  };
  return {
    width: p.width,
    height: p.height,
    imageSize: m.imageSize,
    lowResSize: L,
    stabilityRule: { dynamicMultimaskViaStability: m.dynamicMultimaskViaStability, stabilityDelta: m.stabilityDelta, stabilityThresh: m.stabilityThresh },

    async frameFeatures(frame) {
      idle();
      const f = await p.getFrameFeatures(frame);
      let e = embedded.get(f);
      if (!e) {
        e = { imageEmbed: core.noMemoryEmbed(f.visionFeat), featS0: f.featS0, featS1: f.featS1 };
        embedded.set(f, e);
      }
      return e;
    },

    async cropFeatures(frame, crop) {
      idle();
      const rgb = cropRgb(await core.source.read(frame), crop);
      const out = await core.graphs.imageEncoder(preprocessFrame(rgb, m.imageSize, m.pixelMean, m.pixelStd));
      return { imageEmbed: core.noMemoryEmbed(out.visionFeat), featS0: out.featS0, featS1: out.featS1 };
    },

    async decode(f, req) {
      const B = req.batch;
      if (!tiled || tiled.f !== f || tiled.b < B) {
        tiled = null; // let the old copies go before allocating new ones
        tiled = { f, b: B, embed: tile(f.imageEmbed, B), s0: tile(f.featS0, B), s1: tile(f.featS1, B) };
      }
      // a smaller batch (the last one of a crop) reads the first rows of the copies
      const rows = (a: Float32Array, per: number) => (tiled!.b === B ? a : a.subarray(0, B * per));
      if (req.maskInput && req.maskInput.length !== B * L * L)
        throw new Error(`decode: mask input has ${req.maskInput.length} values, expected ${B}×${L}×${L}`);
      if (!req.maskInput && zeros.length !== B * L * L) zeros = new Float32Array(B * L * L);
      const r = await core.graphs.maskDecoder({
        imageEmbed: rows(tiled.embed, f.imageEmbed.length),
        featS0: rows(tiled.s0, f.featS0.length),
        featS1: rows(tiled.s1, f.featS1.length),
        coords: req.coords,
        labels: req.labels,
        maskInput: req.maskInput ?? zeros,
        hasMask: new Float32Array(B).fill(req.maskInput ? 1 : 0),
        batch: B,
        numPoints: req.numPoints,
      });
      return { lowRes: r.lowRes, iou: r.iou };
    },

    timing() {
      const t = core.graphs.timing;
      return { decoderMs: t.mask_decoder.ms, decoderCalls: t.mask_decoder.calls, encoderMs: t.image_encoder.ms, encoderCalls: t.image_encoder.calls };
    },
  };
}
