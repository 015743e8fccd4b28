// Float resamplers of the video loop (spec Appendix A), in float32 arithmetic as PyTorch does.
//
// bilinear (A.1): F.interpolate(mode='bilinear', align_corners=False, antialias=False). Per axis
// scale = fround(in/out); src = max(scale·(d + 0.5) − 0.5, 0); i0 = floor(src),
// i1 = min(i0 + 1, in − 1); l1 = src − i0; l0 = 1 − l1. 2-D value:
// l0y·(l0x·v00 + l1x·v01) + l1y·(l0x·v10 + l1x·v11). Used for low-res logits → S×S (memory,
// mask prompts) and low-res logits → video H×W (outputs, thresholded at 0).
//
// antialiased bilinear (A.2): torch's _upsample_bilinear2d_aa for float tensors, width pass then
// height pass, triangle filter widened by the scale when downsampling, weights normalised per
// output. Only mask prompts use it (user mask → S×S, 20·m − 10 at S×S → low-res).
const fr = Math.fround;

/** Per output index along one axis: the two input indices and their weights (spec A.1). */
export interface LinearAxis {
  i0: Int32Array;
  i1: Int32Array;
  l0: Float32Array;
  l1: Float32Array;
}

export function linearAxis(inSize: number, outSize: number): LinearAxis {
  const scale = fr(inSize / outSize);
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const l0 = new Float32Array(outSize);
  const l1 = new Float32Array(outSize);
  for (let d = 0; d < outSize; d++) {
    let src: number;
    if (inSize === outSize) src = d;
    else src = Math.max(fr(fr(scale * fr(d + 0.5)) - 0.5), 0);
    const a = Math.min(Math.floor(src), inSize - 1);
    i0[d] = a;
    i1[d] = a < inSize - 1 ? a + 1 : a;
    const lam = Math.min(Math.max(fr(src - a), 0), 1);
    l1[d] = lam;
    l0[d] = fr(1 - lam);
  }
  return { i0, i1, l0, l1 };
}

/** Bilinear resize of one H×W float plane (align_corners=False, no antialias). */
export function bilinearResize(src: Float32Array, inH: number, inW: number, outH: number, outW: number, out = new Float32Array(outH * outW)): Float32Array {
  const ay = linearAxis(inH, outH);
  const ax = linearAxis(inW, outW);
  for (let y = 0; y < outH; y++) {
    const r0 = ay.i0[y]! * inW;
    const r1 = ay.i1[y]! * inW;
    const wy0 = ay.l0[y]!;
    const wy1 = ay.l1[y]!;
    const o = y * outW;
    for (let x = 0; x < outW; x++) {
      const x0 = ax.i0[x]!;
      const x1 = ax.i1[x]!;
      const wx0 = ax.l0[x]!;
      const wx1 = ax.l1[x]!;
      const top = fr(fr(src[r0 + x0]! * wx0) + fr(src[r0 + x1]! * wx1));
      const bot = fr(fr(src[r1 + x0]! * wx0) + fr(src[r1 + x1]! * wx1));
      out[o + x] = fr(fr(top * wy0) + fr(bot * wy1));
    }
  }
  return out;
}

/**
 * Bilinear resize followed by `> 0`: the binary mask at the target size (0/1), as stated. The
 * engine's video-resolution masks come from upsample-cells.ts (`videoMask`), which gives the same
 * bytes while computing only the cells the cut-off passes through; this plain form is what tests
 * hold it against.
 */
export function bilinearMask(src: Float32Array, inH: number, inW: number, outH: number, outW: number, out = new Uint8Array(outH * outW)): Uint8Array {
  const v = bilinearResize(src, inH, inW, outH, outW);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! > 0 ? 1 : 0;
  return out;
}

interface AaAxis {
  start: Int32Array;
  count: Int32Array;
  weights: Float32Array;
  taps: number;
}

function aaAxis(inSize: number, outSize: number): AaAxis {
  const scale = inSize / outSize;
  const support = scale >= 1 ? scale : 1;
  const invscale = scale >= 1 ? 1 / scale : 1;
  const taps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float32Array(outSize * taps);
  for (let i = 0; i < outSize; i++) {
    const center = scale * (i + 0.5);
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xsize = Math.min(Math.max(Math.min(Math.trunc(center + support + 0.5), inSize) - xmin, 0), taps);
    let total = 0;
    const w: number[] = [];
    for (let j = 0; j < xsize; j++) {
      const a = Math.abs((j + xmin - center + 0.5) * invscale);
      const v = a < 1 ? 1 - a : 0;
      w.push(v);
      total += v;
    }
    for (let j = 0; j < xsize; j++) weights[i * taps + j] = total !== 0 ? w[j]! / total : 0;
    start[i] = xmin;
    count[i] = xsize;
  }
  return { start, count, weights, taps };
}

/** Antialiased bilinear resize of one float plane (torch `antialias=True`, align_corners=False). */
export function aaBilinearResize(src: Float32Array, inH: number, inW: number, outH: number, outW: number): Float32Array {
  let cur = src;
  if (outW !== inW) {
    const ax = aaAxis(inW, outW);
    const tmp = new Float32Array(inH * outW);
    for (let y = 0; y < inH; y++) {
      for (let x = 0; x < outW; x++) {
        const s = ax.start[x]!;
        const n = ax.count[x]!;
        let acc = 0;
        for (let k = 0; k < n; k++) acc = fr(acc + fr(cur[y * inW + s + k]! * ax.weights[x * ax.taps + k]!));
        tmp[y * outW + x] = acc;
      }
    }
    cur = tmp;
  }
  if (outH !== inH) {
    const ay = aaAxis(inH, outH);
    const tmp = new Float32Array(outH * outW);
    for (let y = 0; y < outH; y++) {
      const s = ay.start[y]!;
      const n = ay.count[y]!;
      for (let x = 0; x < outW; x++) {
        let acc = 0;
        for (let k = 0; k < n; k++) acc = fr(acc + fr(cur[(s + k) * outW + x]! * ay.weights[y * ay.taps + k]!));
        tmp[y * outW + x] = acc;
      }
    }
    cur = tmp;
  }
  return cur === src ? src.slice() : cur;
}
