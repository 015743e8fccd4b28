// A scripted stand-in for the model, so the generator's order of operations can be tested on
// hand-made cases: three flat discs in a 200×120 frame (frame pixels), rendered as low-res
// logits over whatever crop is being processed. For a click, the decoder's tokens are:
//   1: the nearest disc, sharp (logits 40 per pixel from the rim, clamped to ±200), IoU 0.9 + a per-point bit
//   2: a weak halo (logits ±0.5: never stable), IoU 0.85
//   3: a sharp small disc at the click, IoU 0.5 (fails pred_iou_thresh)
//   0: with a mask prompt the nearest disc (stable, IoU 0.97), without it a faint disc (0.03: unstable for
//      the decoder's single-mask rule, which then takes the best of 1..3), IoU 0.6
import type { AmgBackend, AmgFeatures, DecodeRequest, DecodeResult } from '../../../src-main/core/sam2/amg/backend';
import type { CropBox } from '../../../src-main/core/sam2/amg/grid';

export const W = 200;
export const H = 120;
export const S = 128;
export const L = 32;
export const DISCS = [
  { x: 50, y: 60, r: 25 },
  { x: 150, y: 60, r: 25 },
  { x: 150, y: 100, r: 14 },
];

export interface DecodeCall {
  crop: CropBox;
  batch: number;
  numPoints: number;
  coords: Float32Array;
  labels: Int32Array;
  maskInput: Float32Array | null;
}

export interface FakeBackend extends AmgBackend {
  calls: DecodeCall[];
  cropCalls: CropBox[];
  frameCalls: number[];
}

/** Per-point bit of token 1's IoU: larger x (then y) wins among clicks on the same disc. */
export function token1Iou(fx: number, fy: number): number {
  return Math.fround(0.9 + fx / 10000 + fy / 1e7);
}

export function nearestDisc(fx: number, fy: number): number {
  let best = 0;
  DISCS.forEach((d, i) => {
    if (Math.hypot(fx - d.x, fy - d.y) < Math.hypot(fx - DISCS[best]!.x, fy - DISCS[best]!.y)) best = i;
  });
  return best;
}

export function fakeBackend(opts: { speck?: boolean } = {}): FakeBackend {
  const cropOf = new WeakMap<AmgFeatures, CropBox>();
  const features = (crop: CropBox): AmgFeatures => {
    const f = { imageEmbed: new Float32Array(1), featS0: new Float32Array(1), featS1: new Float32Array(1) };
    cropOf.set(f, crop);
    return f;
  };
  const calls: DecodeCall[] = [];
  const cropCalls: CropBox[] = [];
  const frameCalls: number[] = [];

  /** logits over the crop's L×L grid of a function of frame pixels */
  const render = (crop: CropBox, fn: (x: number, y: number) => number, out: Float32Array) => {
    const cw = crop[2] - crop[0];
    const ch = crop[3] - crop[1];
    for (let i = 0; i < L; i++) for (let j = 0; j < L; j++) out[i * L + j] = fn(crop[0] + ((j + 0.5) * cw) / L, crop[1] + ((i + 0.5) * ch) / L);
  };
  const sharp = (cx: number, cy: number, r: number) => (x: number, y: number) => Math.max(-200, Math.min(200, (r - Math.hypot(x - cx, y - cy)) * 40));
  const weak = (cx: number, cy: number, r: number) => (x: number, y: number) => (Math.hypot(x - cx, y - cy) < r ? 0.5 : -0.5);

  return {
    width: W,
    height: H,
    imageSize: S,
    lowResSize: L,
    stabilityRule: { dynamicMultimaskViaStability: true, stabilityDelta: 0.05, stabilityThresh: 0.98 },
    calls,
    cropCalls,
    frameCalls,
    async frameFeatures(frame) {
      frameCalls.push(frame);
      return features([0, 0, W, H]);
    },
    async cropFeatures(_frame, crop) {
      cropCalls.push(crop);
      return features(crop);
    },
    async decode(f: AmgFeatures, req: DecodeRequest): Promise<DecodeResult> {
      const crop = cropOf.get(f)!;
      const { batch: B, numPoints: P } = req;
      calls.push({ crop, batch: B, numPoints: P, coords: req.coords.slice(), labels: req.labels.slice(), maskInput: req.maskInput?.slice() ?? null });
      const plane = L * L;
      const lowRes = new Float32Array(B * 4 * plane);
      const iou = new Float32Array(B * 4);
      for (let b = 0; b < B; b++) {
        const fx = crop[0] + (req.coords[b * P * 2]! / S) * (crop[2] - crop[0]);
        const fy = crop[1] + (req.coords[b * P * 2 + 1]! / S) * (crop[3] - crop[1]);
        const d = DISCS[nearestDisc(fx, fy)]!;
        const t = (k: number) => lowRes.subarray((b * 4 + k) * plane, (b * 4 + k + 1) * plane);
        const disc = sharp(d.x, d.y, d.r);
        const speck = (x: number, y: number) => (opts.speck && d === DISCS[0] && Math.hypot(x - 10, y - 110) < 3 ? 20 : disc(x, y));
        render(crop, speck, t(1));
        render(crop, weak(d.x, d.y, d.r * 1.5), t(2));
        render(crop, sharp(fx, fy, 6), t(3));
        render(crop, req.maskInput ? disc : (x, y) => (Math.hypot(x - d.x, y - d.y) < d.r ? 0.03 : -0.5), t(0));
        iou.set([req.maskInput ? 0.97 : 0.6, token1Iou(fx, fy), 0.85, 0.5], b * 4);
      }
      return { lowRes, iou };
    },
    timing() {
      return { decoderMs: 0, decoderCalls: calls.length, encoderMs: 0, encoderCalls: cropCalls.length };
    },
  };
}
