// Thresholded bilinear upsampling without computing every pixel. The generator upsamples every
// candidate's low-res logits to the crop's resolution only to count pixels above two cut-offs
// (stability) and to threshold them once, and the engine thresholds every object's logits at 0
// for its video-resolution mask on every frame (frame-output.ts). So this walks the upsampling
// cell by cell: the output pixels that interpolate between the same 2×2 low-res samples form a
// rectangle, and their values lie between those samples' min and max (up to float32 rounding,
// covered by a margin). A rectangle entirely above or below a cut-off is counted or filled at
// once; only rectangles a cut-off passes through are computed, with exactly the arithmetic of
// bilinearResize (PyTorch's bilinear, align_corners=False, float32: a horizontal pass per pair
// of low-res rows, then a vertical blend per output row), so counts and masks are identical to
// upsampling everything (unit-tested against it).

import { linearAxis, type LinearAxis } from './bilinear';

const fr = Math.fround;

interface Axis extends LinearAxis {
  /** runs of consecutive outputs that read the same two inputs: [start, end) pairs */
  groups: Int32Array;
}

// bilinear.ts's per-axis mapping (spec A.1), plus the grouping.
function axis(inSize: number, outSize: number): Axis {
  const lin = linearAxis(inSize, outSize);
  const groups: number[] = [];
  for (let d = 0; d < outSize; d++) {
    if (d === 0 || lin.i0[d] !== lin.i0[d - 1] || lin.i1[d] !== lin.i1[d - 1]) groups.push(d, d + 1);
    else groups[groups.length - 1] = d + 1;
  }
  return { ...lin, groups: Int32Array.from(groups) };
}

export interface UpsamplePlan {
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  ay: Axis;
  ax: Axis;
}

export function upsamplePlan(inH: number, inW: number, outH: number, outW: number): UpsamplePlan {
  return { inH, inW, outH, outW, ay: axis(inH, outH), ax: axis(inW, outW) };
}

const ALL = 1;
const NONE = 0;
const MIXED = 2;

// Every value in a cell is within ~7 float32 roundings of the corners' [mn, mx]; a margin of
// 1e-6 relative is more than twice that.
function classify(mn: number, mx: number, cut: number): number {
  const margin = 1e-6 * Math.max(Math.abs(mn), Math.abs(mx)) + 1e-30;
  if (mn > cut + margin) return ALL;
  if (mx + margin < cut) return NONE;
  return MIXED;
}

/** min and max of the four low-res samples behind row group `ys` × column group `b`, into `mm`. */
function cellRange(src: Float32Array, p: UpsamplePlan, ys: number, b: number, mm: Float64Array): void {
  const r0 = p.ay.i0[ys]! * p.inW;
  const r1 = p.ay.i1[ys]! * p.inW;
  const xs = p.ax.groups[b]!;
  const c0 = p.ax.i0[xs]!;
  const c1 = p.ax.i1[xs]!;
  const v00 = src[r0 + c0]!;
  const v01 = src[r0 + c1]!;
  const v10 = src[r1 + c0]!;
  const v11 = src[r1 + c1]!;
  mm[0] = Math.min(v00, v01, v10, v11);
  mm[1] = Math.max(v00, v01, v10, v11);
}

/**
 * The horizontal pass of bilinearResize for one row group (two low-res rows), only over the
 * columns of the given column groups: top/bot[x] = fround(v0·wx0 + v1·wx1) with float32 steps.
 * Every output row of the group is then fround(top·wy0 + bot·wy1), exactly as bilinearResize.
 */
function horizontal(src: Float32Array, p: UpsamplePlan, ys: number, groups: Int32Array, n: number, top: Float32Array, bot: Float32Array): void {
  const r0 = p.ay.i0[ys]! * p.inW;
  const r1 = p.ay.i1[ys]! * p.inW;
  const gx = p.ax.groups;
  for (let k = 0; k < n; k++) {
    const b = groups[k]!;
    for (let x = gx[b]!; x < gx[b + 1]!; x++) {
      const x0 = p.ax.i0[x]!;
      const x1 = p.ax.i1[x]!;
      const wx0 = p.ax.l0[x]!;
      const wx1 = p.ax.l1[x]!;
      top[x] = fr(fr(src[r0 + x0]! * wx0) + fr(src[r0 + x1]! * wx1));
      bot[x] = fr(fr(src[r1 + x0]! * wx0) + fr(src[r1 + x1]! * wx1));
    }
  }
}

/** Scratch of one walk: per-column horizontal values and the undecided column groups of a row group. */
function scratch(p: UpsamplePlan) {
  const n = p.ax.groups.length / 2;
  return {
    top: new Float32Array(p.outW),
    bot: new Float32Array(p.outW),
    mixed: new Int32Array(n),
    every: Int32Array.from({ length: n }, (_, k) => 2 * k),
    mm: new Float64Array(2),
  };
}

// When most cells of a row group are undecided (noisy logits), computing the whole rows is
// cheaper than handling cells one by one.
const dense = (nMixed: number, nGroups: number) => 2 * nMixed > nGroups;

/** Pixels of the upsampled map above `hi` (inter) and above `lo` (union), with float32 cut-offs. */
export function upsampleCounts(src: Float32Array, p: UpsamplePlan, hi: number, lo: number): { inter: number; union: number } {
  const h = fr(hi);
  const l = fr(lo);
  const gy = p.ay.groups;
  const gx = p.ax.groups;
  const { top, bot, mixed, every, mm } = scratch(p);
  const nGroups = gx.length / 2;
  let inter = 0;
  let union = 0;
  for (let a = 0; a < gy.length; a += 2) {
    const ys = gy[a]!;
    const ye = gy[a + 1]!;
    let wideHi = 0;
    let wideLo = 0;
    let nMixed = 0;
    for (let b = 0; b < gx.length; b += 2) {
      cellRange(src, p, ys, b, mm);
      const sh = classify(mm[0]!, mm[1]!, h);
      const sl = classify(mm[0]!, mm[1]!, l);
      if (sh === MIXED || sl === MIXED) {
        mixed[nMixed++] = b;
        continue;
      }
      if (sh === ALL) wideHi += gx[b + 1]! - gx[b]!;
      if (sl === ALL) wideLo += gx[b + 1]! - gx[b]!;
    }
    if (nMixed === 0) {
      inter += wideHi * (ye - ys);
      union += wideLo * (ye - ys);
      continue;
    }
    const cols = dense(nMixed, nGroups) ? every : mixed;
    const n = cols === every ? nGroups : nMixed;
    if (cols !== every) {
      inter += wideHi * (ye - ys);
      union += wideLo * (ye - ys);
    }
    horizontal(src, p, ys, cols, n, top, bot);
    for (let y = ys; y < ye; y++) {
      const wy0 = p.ay.l0[y]!;
      const wy1 = p.ay.l1[y]!;
      for (let k = 0; k < n; k++) {
        const b = cols[k]!;
        for (let x = gx[b]!; x < gx[b + 1]!; x++) {
          const v = fr(fr(top[x]! * wy0) + fr(bot[x]! * wy1));
          if (v > h) inter++;
          if (v > l) union++;
        }
      }
    }
  }
  return { inter, union };
}

/** The horizontal pass of bilinearResize over a whole low-res row r: dst[x] = fround(v0·wx0 + v1·wx1). */
function horizontalRow(src: Float32Array, p: UpsamplePlan, r: number, dst: Float32Array): void {
  const base = r * p.inW;
  const { i0, i1, l0, l1 } = p.ax;
  for (let x = 0; x < p.outW; x++) dst[x] = fr(fr(src[base + i0[x]!]! * l0[x]!) + fr(src[base + i1[x]!]! * l1[x]!));
}

// After a row group computed whole rows, the next ones are computed whole too without classifying
// their cells (noisy logits: classifying would find them undecided anyway), except every
// RECLASSIFY-th group, which looks again. Which path a group takes never changes a value.
const RECLASSIFY = 8;

/** The upsampled map thresholded (> cut, float32) as a 0/1 mask of outH × outW, written into `out`. */
export function upsampleMask(src: Float32Array, p: UpsamplePlan, cut: number, out: Uint8Array): Uint8Array {
  const t = fr(cut);
  const W = p.outW;
  const gy = p.ay.groups;
  const gx = p.ax.groups;
  const sc = scratch(p);
  const { mixed, mm } = sc;
  let { top, bot } = sc;
  const nGroups = gx.length / 2;
  // one row pattern per row group: decided cells written once, then copied to each row
  const row = new Uint8Array(W);
  // the low-res row whose whole horizontal pass `bot` holds (-1: none, or only some columns)
  let botRow = -1;
  let wholeRows = false;
  for (let a = 0; a < gy.length; a += 2) {
    const ys = gy[a]!;
    const ye = gy[a + 1]!;
    let nMixed = 0;
    if (!wholeRows || (a / 2) % RECLASSIFY === 0) {
      for (let b = 0; b < gx.length; b += 2) {
        cellRange(src, p, ys, b, mm);
        const s = classify(mm[0]!, mm[1]!, t);
        if (s === MIXED) mixed[nMixed++] = b;
        const v = s === ALL ? 1 : 0;
        for (let x = gx[b]!; x < gx[b + 1]!; x++) row[x] = v;
      }
      wholeRows = dense(nMixed, nGroups);
    }
    if (wholeRows) {
      const r0 = p.ay.i0[ys]!;
      const r1 = p.ay.i1[ys]!;
      // consecutive row groups share a low-res row: the previous group's bottom is this one's top
      if (botRow === r0 && r1 !== r0) {
        const was = top;
        top = bot;
        bot = was;
      } else horizontalRow(src, p, r0, top);
      if (r1 === r0) bot.set(top);
      else horizontalRow(src, p, r1, bot);
      botRow = r1;
      for (let y = ys; y < ye; y++) {
        const wy0 = p.ay.l0[y]!;
        const wy1 = p.ay.l1[y]!;
        const o = y * W;
        for (let x = 0; x < W; x++) out[o + x] = fr(fr(top[x]! * wy0) + fr(bot[x]! * wy1)) > t ? 1 : 0;
      }
      continue;
    }
    botRow = -1;
    if (nMixed > 0) horizontal(src, p, ys, mixed, nMixed, top, bot);
    for (let y = ys; y < ye; y++) {
      out.set(row, y * W);
      if (nMixed === 0) continue;
      const wy0 = p.ay.l0[y]!;
      const wy1 = p.ay.l1[y]!;
      const o = y * W;
      for (let k = 0; k < nMixed; k++) {
        const b = mixed[k]!;
        for (let x = gx[b]!; x < gx[b + 1]!; x++) out[o + x] = fr(fr(top[x]! * wy0) + fr(bot[x]! * wy1)) > t ? 1 : 0;
      }
    }
  }
  return out;
}
