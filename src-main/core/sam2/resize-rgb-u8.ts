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
//   to 0..255, so the intermediate values are uint8. A pass whose size does not change is skipped,
//   so a frame that already is S×S comes out as it is.
// Done in one pass over the output (resizeRgbPlanes): each input row is resized horizontally once
// into a ring of a few planar rows, each output row is the vertical pass over the ring, written
// through a per-channel table — the normalisation for the engine, the identity for plain bytes.
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

/** Weights recur every frame (one frame size per video): the last few axes are kept (shared, read-only). */
const WEIGHT_CACHE_SIZE = 8;
const weightCache = new Map<string, AxisWeights>();

/** aaWeightsU8 through a small LRU keyed by (filter, inSize, outSize). Callers must not modify the result. */
export function cachedWeightsU8(inSize: number, outSize: number, filter: ResizeFilter): AxisWeights {
  const key = `${filter}:${inSize}:${outSize}`;
  let w = weightCache.get(key);
  if (w) {
    weightCache.delete(key);
  } else {
    w = aaWeightsU8(inSize, outSize, filter);
    if (weightCache.size >= WEIGHT_CACHE_SIZE) weightCache.delete(weightCache.keys().next().value!);
  }
  weightCache.set(key, w);
  return w;
}

/**
 * The resampler, writing through per-channel tables: out[c·outH·outW + y·outW + x] =
 * tables[c][pixel] (planar, channels first). Each input row is resized horizontally once, into
 * planar uint8 rows kept in a ring of as many rows as the vertical filter has taps; each output
 * row is the vertical pass over the ring, looked up in its channel's table as it is written. No
 * intermediate image: the engine's tables normalise (preprocess.ts), resizeRgbU8's are the identity.
 */
export function resizeRgbPlanes(
  src: Uint8Array,
  w: number,
  h: number,
  outW: number,
  outH: number,
  filter: ResizeFilter,
  tables: readonly Float32Array[],
  out: Float32Array,
): Float32Array {
  if (src.length !== w * h * 3) throw new Error(`resizeRgbU8: expected ${w * h * 3} bytes for ${w}x${h} RGB, got ${src.length}`);
  const plane = outW * outH;
  if (out.length < 3 * plane) throw new Error(`resizeRgbPlanes: out holds ${out.length} values, ${3 * plane} needed`);
  if (tables.length !== 3 || tables.some((t) => t.length !== 256)) throw new Error('resizeRgbPlanes: three tables of 256 values are needed');
  // a pass whose size does not change is skipped (as torch does): its rows are taken as they are
  const ax = outW !== w ? cachedWeightsU8(w, outW, filter) : null;
  const ay = outH !== h ? cachedWeightsU8(h, outH, filter) : null;
  const ringRows = ay ? ay.taps : 1;
  const ring = new Uint8Array(ringRows * 3 * outW);
  const acc = new Int32Array(outW);
  let next = 0;
  for (let y = 0; y < outH; y++) {
    const s = ay ? ay.start[y]! : y;
    const n = ay ? ay.count[y]! : 1;
    // first and last tap only grow with y: the rows still needed are the last ringRows computed
    if (next < s) next = s;
    for (; next < s + n; next++) {
      const off = (next % ringRows) * 3 * outW;
      if (ax) horizontalRow(src, next * w * 3, ax, ring, off, outW);
      else deinterleaveRow(src, next * w * 3, ring, off, outW);
    }
    for (let c = 0; c < 3; c++) {
      const o = c * plane + y * outW;
      const r0 = (s % ringRows) * 3 * outW + c * outW;
      if (!ay) lookUpRow(ring, r0, outW, tables[c]!, out, o);
      else if (n === 2) verticalRow2(ring, r0, ((s + 1) % ringRows) * 3 * outW + c * outW, outW, ay, y, tables[c]!, out, o);
      else verticalRowN(ring, ringRows, c, s, n, outW, ay, y, acc, tables[c]!, out, o);
    }
  }
  return out;
}

/** One input row, interleaved → three planar rows at ring[off], ring[off + outW], ring[off + 2·outW]. */
function horizontalRow(src: Uint8Array, srcOff: number, ax: AxisWeights, ring: Uint8Array, off: number, outW: number): void {
  const pairs = pairsOf(ax);
  if (pairs) return horizontalRowPairs(src, srcOff, pairs, ax.precision, ring, off, outW);
  const { start, count, weights, taps, precision } = ax;
  const half = 1 << (precision - 1);
  const g0 = off + outW;
  const b0 = off + 2 * outW;
  for (let x = 0; x < outW; x++) {
    const p = srcOff + start[x]! * 3;
    const n = count[x]!;
    const wo = x * taps;
    let r = half;
    let g = half;
    let b = half;
    if (n === 2) {
      // upscaling: two taps (the common case, unrolled)
      const w0 = weights[wo]!;
      const w1 = weights[wo + 1]!;
      r += w0 * src[p]! + w1 * src[p + 3]!;
      g += w0 * src[p + 1]! + w1 * src[p + 4]!;
      b += w0 * src[p + 2]! + w1 * src[p + 5]!;
    } else {
      for (let k = 0; k < n; k++) {
        const wk = weights[wo + k]!;
        const q = p + k * 3;
        r += wk * src[q]!;
        g += wk * src[q + 1]!;
        b += wk * src[q + 2]!;
      }
    }
    ring[off + x] = clampU8(r >> precision);
    ring[g0 + x] = clampU8(g >> precision);
    ring[b0 + x] = clampU8(b >> precision);
  }
}

/**
 * An axis whose every output reads at most two inputs with non-negative weights summing to at
 * most one byte (upscaling with the triangle filter): per output, the first input's byte offset
 * and the two weights. A one-tap output at the right edge reads its input as the second tap, so
 * the two reads stay inside the row. Null for any other axis (it takes the general loop).
 */
interface TapPairs {
  at: Int32Array;
  w0: Int32Array;
  w1: Int32Array;
}

const pairsCache = new WeakMap<AxisWeights, TapPairs | null>();

export function pairsOf(ax: AxisWeights): TapPairs | null {
  const known = pairsCache.get(ax);
  if (known !== undefined) return known;
  const n = ax.start.length;
  let inSize = 0;
  for (let x = 0; x < n; x++) inSize = Math.max(inSize, ax.start[x]! + ax.count[x]!);
  const half = 1 << (ax.precision - 1);
  let pairs: TapPairs | null = { at: new Int32Array(n), w0: new Int32Array(n), w1: new Int32Array(n) };
  for (let x = 0; x < n && pairs; x++) {
    const c = ax.count[x]!;
    let s = ax.start[x]!;
    let w0 = c >= 1 ? ax.weights[x * ax.taps]! : 0;
    let w1 = c >= 2 ? ax.weights[x * ax.taps + 1]! : 0;
    // without these, (half + w0·a + w1·b) >> precision could leave 0..255 and need the clamp
    const exact = c >= 1 && c <= 2 && w0 >= 0 && w1 >= 0 && (half + (w0 + w1) * 255) >> ax.precision <= 255;
    if (exact && c === 1 && s + 1 >= inSize) [s, w0, w1] = [s - 1, 0, w0];
    if (!exact || s < 0) pairs = null;
    else {
      pairs.at[x] = s * 3;
      pairs.w0[x] = w0;
      pairs.w1[x] = w1;
    }
  }
  pairsCache.set(ax, pairs);
  return pairs;
}

/** horizontalRow for a two-tap axis: no tap count, no clamp (pairsOf proved them unneeded). */
function horizontalRowPairs(src: Uint8Array, srcOff: number, pairs: TapPairs, precision: number, ring: Uint8Array, off: number, outW: number): void {
  const { at, w0, w1 } = pairs;
  const half = 1 << (precision - 1);
  const g0 = off + outW;
  const b0 = off + 2 * outW;
  for (let x = 0; x < outW; x++) {
    const p = srcOff + at[x]!;
    const a = w0[x]!;
    const b = w1[x]!;
    ring[off + x] = (half + a * src[p]! + b * src[p + 3]!) >> precision;
    ring[g0 + x] = (half + a * src[p + 1]! + b * src[p + 4]!) >> precision;
    ring[b0 + x] = (half + a * src[p + 2]! + b * src[p + 5]!) >> precision;
  }
}

/** One input row whose width does not change: interleaved → three planar rows. */
function deinterleaveRow(src: Uint8Array, srcOff: number, ring: Uint8Array, off: number, outW: number): void {
  for (let x = 0; x < outW; x++) {
    const p = srcOff + x * 3;
    ring[off + x] = src[p]!;
    ring[off + outW + x] = src[p + 1]!;
    ring[off + 2 * outW + x] = src[p + 2]!;
  }
}

/** A row whose height does not change: looked up as it is. */
function lookUpRow(ring: Uint8Array, r0: number, outW: number, table: Float32Array, out: Float32Array, o: number): void {
  for (let x = 0; x < outW; x++) out[o + x] = table[ring[r0 + x]!]!;
}

/** Output row y of one channel from two ring rows (upscaling: the common case, unrolled). */
function verticalRow2(
  ring: Uint8Array,
  r0: number,
  r1: number,
  outW: number,
  ay: AxisWeights,
  y: number,
  table: Float32Array,
  out: Float32Array,
  o: number,
): void {
  const precision = ay.precision;
  const half = 1 << (precision - 1);
  const w0 = ay.weights[y * ay.taps]!;
  const w1 = ay.weights[y * ay.taps + 1]!;
  if (w0 >= 0 && w1 >= 0 && (half + (w0 + w1) * 255) >> precision <= 255) {
    // non-negative weights that cannot carry a byte past 255: the same values without the clamp
    for (let x = 0; x < outW; x++) out[o + x] = table[(half + w0 * ring[r0 + x]! + w1 * ring[r1 + x]!) >> precision]!;
    return;
  }
  for (let x = 0; x < outW; x++) out[o + x] = table[clampU8((half + w0 * ring[r0 + x]! + w1 * ring[r1 + x]!) >> precision)]!;
}

/** Output row y of one channel from the ring's rows s..s+n−1 (any number of taps). */
function verticalRowN(
  ring: Uint8Array,
  ringRows: number,
  c: number,
  s: number,
  n: number,
  outW: number,
  ay: AxisWeights,
  y: number,
  acc: Int32Array,
  table: Float32Array,
  out: Float32Array,
  o: number,
): void {
  const precision = ay.precision;
  acc.fill(1 << (precision - 1));
  for (let k = 0; k < n; k++) {
    const wk = ay.weights[y * ay.taps + k]!;
    const r = ((s + k) % ringRows) * 3 * outW + c * outW;
    for (let x = 0; x < outW; x++) acc[x] += wk * ring[r + x]!;
  }
  for (let x = 0; x < outW; x++) out[o + x] = table[clampU8(acc[x]! >> precision)]!;
}

/** Identity tables: resizeRgbPlanes then writes the resized bytes themselves (as float32). */
const IDENTITY = [0, 1, 2].map(() => Float32Array.from({ length: 256 }, (_, v) => v));

/** Resizes interleaved RGB (3 channels, row-major HWC) uint8 frames; returns a new array (a copy when the size does not change). */
export function resizeRgbU8(src: Uint8Array, w: number, h: number, outW: number, outH: number, filter: ResizeFilter = 'bilinear'): Uint8Array {
  const plane = outW * outH;
  const planes = resizeRgbPlanes(src, w, h, outW, outH, filter, IDENTITY, new Float32Array(3 * plane));
  const out = new Uint8Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    out[i * 3] = planes[i]!;
    out[i * 3 + 1] = planes[plane + i]!;
    out[i * 3 + 2] = planes[2 * plane + i]!;
  }
  return out;
}

function clampU8(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}
