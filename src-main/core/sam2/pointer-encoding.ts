// Temporal encoding of object pointers (spec 7.3): rel = d / tDiffMax, 1-D sine encoding of
// dimension C (sines block, then cosines block, not interleaved), projected by the pack's
// Linear(C → D). Float32 steps as the reference; the projection sums in double, then rounds.
const fr = Math.fround;

/** get_1d_sine_pe(rel, dim): [sin(rel/dim_t[0..dim/2)), cos(rel/dim_t[0..dim/2))]. */
export function sinePe1d(rel: number, dim: number, out = new Float32Array(dim)): Float32Array {
  const half = dim / 2;
  for (let k = 0; k < half; k++) {
    const dimT = fr(Math.pow(10000, fr(fr(2 * Math.floor(k / 2)) / half)));
    const x = fr(fr(rel) / dimT);
    out[k] = fr(Math.sin(x));
    out[half + k] = fr(Math.cos(x));
  }
  return out;
}

/** Normalised pointer distance; a 1-frame video has tDiffMax 0 and only distance-0 pointers. */
export function pointerRel(dist: number, tDiffMax: number): number {
  return tDiffMax > 0 ? fr(dist / tDiffMax) : 0;
}

/** Linear projection y = W·x + b with W [outDim, inDim] row-major. */
export function project(x: Float32Array, weight: Float32Array, bias: Float32Array, out = new Float32Array(bias.length)): Float32Array {
  const inDim = x.length;
  for (let o = 0; o < bias.length; o++) {
    let acc = 0;
    const row = o * inDim;
    for (let i = 0; i < inDim; i++) acc += weight[row + i]! * x[i]!;
    out[o] = fr(acc + bias[o]!);
  }
  return out;
}

/** Position of a pointer with normalised distance rel: D values. Cached per rel by the caller. */
export function pointerPosition(rel: number, hiddenDim: number, weight: Float32Array, bias: Float32Array): Float32Array {
  return project(sinePe1d(rel, hiddenDim), weight, bias);
}
