// Frame resize to the model's S×S input, reproducing exactly what the reference did: transformers'
// Sam2VideoVideoProcessor resizes uint8 frames with torch's antialiased bilinear kernel
// (`F.interpolate(mode='bilinear', antialias=True, align_corners=False)` on uint8, which ATen runs
// in fixed point: aten/src/ATen/native/cpu/UpSampleKernel.cpp and UpSampleKernelAVXAntialias.h).
//
// The resampler, as implemented here:
// - Per axis, scale = in/out (double). Support = scale when downscaling, 1 when upscaling; the
//   triangle filter is evaluated at (j - center + 0.5) / max(scale, 1) for input j in
//   [trunc(center - support + 0.5), trunc(center + support + 0.5)), center = scale·(i + 0.5),
//   and the weights are normalised to sum 1 (double).
// - The weights are quantised to int16 with a per-axis precision p: the largest p < 22 with
//   round(wmax · 2^(p+1)) < 2^15; w16 = trunc(w · 2^p ± 0.5) (round half away from zero).
// - Horizontal pass first, then vertical; each pass computes (2^(p-1) + Σ w16·v) >> p and clamps
//   to 0..255, so the intermediate image is uint8. A pass whose size does not change is skipped,
//   so a frame that already is S×S is returned as is.
// The same resampler with the Keys cubic kernel (a = −0.5, support 2) instead of the triangle is
// torch's `interpolate(mode='bicubic', antialias=True)` on uint8, which is what CLIP's image
// processor does (core/labels/preprocess.ts): one mechanism, two filters.

export interface AxisWeights {
  /** first input index per output index */
  start: Int32Array;
  /** number of taps per output index */
  count: Int32Array;
  /** int16 weights, `taps` per output index */
  weights: Int32Array;
  taps: number;
  precision: number;
}

export type ResizeFilter = 'bilinear' | 'bicubic';

function triangle(x: number): number {
  const a = x < 0 ? -x : x;
  return a < 1 ? 1 - a : 0;
}

/** Keys' cubic convolution with a = −0.5 (torch's and PIL's antialiased bicubic). */
function keysCubic(x: number): number {
  const A = -0.5;
  const t = x < 0 ? -x : x;
  if (t < 1) return ((A + 2) * t - (A + 3)) * t * t + 1;
  if (t < 2) return ((A * t - 5 * A) * t + 8 * A) * t - 4 * A;
  return 0;
}

const FILTERS: Record<ResizeFilter, { fn: (x: number) => number; halfSize: number }> = {
  bilinear: { fn: triangle, halfSize: 1 },
  bicubic: { fn: keysCubic, halfSize: 2 },
};

/** torch's uint8 antialiased bilinear weights for one axis (exported for tests). */
export function aaBilinearWeightsU8(inSize: number, outSize: number): AxisWeights {
  return aaWeightsU8(inSize, outSize, 'bilinear');
}

/** torch's uint8 antialiased weights for one axis and filter. */
export function aaWeightsU8(inSize: number, outSize: number, filter: ResizeFilter): AxisWeights {
  const { fn, halfSize } = FILTERS[filter];
  const scale = inSize / outSize;
  const support = scale >= 1 ? halfSize * scale : halfSize;
  const taps = Math.ceil(support) * 2 + 1;
  const invscale = scale >= 1 ? 1 / scale : 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const wf = new Float64Array(outSize * taps);
  let wmax = 0;
  for (let i = 0; i < outSize; i++) {
    const center = scale * (i + 0.5);
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    let xsize = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    xsize = Math.min(Math.max(xsize, 0), taps);
    let total = 0;
    for (let j = 0; j < xsize; j++) {
      const w = fn((j + xmin - center + 0.5) * invscale);
      wf[i * taps + j] = w;
      total += w;
    }
    if (total !== 0) {
      for (let j = 0; j < xsize; j++) {
        wf[i * taps + j]! /= total;
        wmax = Math.max(wmax, wf[i * taps + j]!);
      }
    }
    start[i] = xmin;
    count[i] = xsize;
  }
  let precision = 0;
  for (precision = 0; precision < 22; precision++) {
    if (Math.trunc(0.5 + wmax * 2 ** (precision + 1)) >= 1 << 15) break;
  }
  const weights = new Int32Array(outSize * taps);
  for (let k = 0; k < wf.length; k++) {
    const v = wf[k]! * 2 ** precision;
    weights[k] = v < 0 ? Math.trunc(-0.5 + v) : Math.trunc(0.5 + v);
  }
  return { start, count, weights, taps, precision };
}

/** Resizes interleaved RGB (3 channels, row-major HWC) uint8 frames. */
export function resizeRgbU8(src: Uint8Array, w: number, h: number, outW: number, outH: number, filter: ResizeFilter = 'bilinear'): Uint8Array {
  if (src.length !== w * h * 3) throw new Error(`resizeRgbU8: expected ${w * h * 3} bytes for ${w}x${h} RGB, got ${src.length}`);
  let cur = src;
  let cw = w;
  if (outW !== w) {
    const ax = aaWeightsU8(w, outW, filter);
    const out = new Uint8Array(outW * h * 3);
    const half = 1 << (ax.precision - 1);
    for (let y = 0; y < h; y++) {
      const row = y * w * 3;
      const orow = y * outW * 3;
      for (let x = 0; x < outW; x++) {
        const s = ax.start[x]!;
        const n = ax.count[x]!;
        const wo = x * ax.taps;
        let r = half;
        let g = half;
        let b = half;
        for (let k = 0; k < n; k++) {
          const wk = ax.weights[wo + k]!;
          const p = row + (s + k) * 3;
          r += wk * cur[p]!;
          g += wk * cur[p + 1]!;
          b += wk * cur[p + 2]!;
        }
        const o = orow + x * 3;
        out[o] = clampU8(r >> ax.precision);
        out[o + 1] = clampU8(g >> ax.precision);
        out[o + 2] = clampU8(b >> ax.precision);
      }
    }
    cur = out;
    cw = outW;
  }
  if (outH !== h) {
    const ay = aaWeightsU8(h, outH, filter);
    const out = new Uint8Array(cw * outH * 3);
    const half = 1 << (ay.precision - 1);
    const stride = cw * 3;
    for (let y = 0; y < outH; y++) {
      const s = ay.start[y]!;
      const n = ay.count[y]!;
      const wo = y * ay.taps;
      const orow = y * stride;
      for (let i = 0; i < stride; i++) {
        let acc = half;
        for (let k = 0; k < n; k++) acc += ay.weights[wo + k]! * cur[(s + k) * stride + i]!;
        out[orow + i] = clampU8(acc >> ay.precision);
      }
    }
    cur = out;
  }
  return cur === src ? src.slice() : cur;
}

function clampU8(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}
