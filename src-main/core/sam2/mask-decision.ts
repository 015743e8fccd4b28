// Post-processing decisions on the mask decoder's raw outputs (spec 5.2–5.5): when to use the
// multimask tokens, the stability fallback of single-mask mode, which token's pointer is used,
// and the no-object replacement. Pure functions over one object's outputs.
const fr = Math.fround;

export const NO_OBJ_SCORE = -1024;

export interface MultimaskRule {
  multimaskOutputInSam: boolean;
  multimaskOutputForTracking: boolean;
  multimaskMinPtNum: number;
  multimaskMaxPtNum: number;
}

export interface StabilityRule {
  dynamicMultimaskViaStability: boolean;
  stabilityDelta: number;
  stabilityThresh: number;
}

/** multimask = in_sam AND (initial cond frame OR for_tracking) AND min ≤ num_pts ≤ max. */
export function useMultimask(numUserPoints: number, isInitCond: boolean, r: MultimaskRule): boolean {
  return r.multimaskOutputInSam && (isInitCond || r.multimaskOutputForTracking) && numUserPoints >= r.multimaskMinPtNum && numUserPoints <= r.multimaskMaxPtNum;
}

/** Pixels above threshold + offset (inside) and above threshold − offset (union); cut-offs in float32. */
export function stabilityCounts(logits: Float32Array, threshold: number, offset: number): { inter: number; union: number } {
  const hi = fr(threshold + offset);
  const lo = fr(threshold - offset);
  let inter = 0;
  let union = 0;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]!;
    if (v > hi) inter++;
    if (v > lo) union++;
  }
  return { inter, union };
}

/** area(logit > δ) / area(logit > −δ), 1 when the union is empty; thresholds compared in float32. */
export function stabilityScore(logits: Float32Array, delta: number): number {
  const { inter, union } = stabilityCounts(logits, 0, delta);
  return union > 0 ? fr(inter / union) : 1;
}

/** First index of the maximum of iou[1..3] (PyTorch argmax ties), as a token index 1..3. */
export function bestMultimaskToken(iou: ArrayLike<number>): number {
  let best = 1;
  for (let k = 2; k <= 3; k++) if (iou[k]! > iou[best]!) best = k;
  return best;
}

export interface TokenChoice {
  /** token whose mask is used */
  maskToken: number;
  /** token whose object pointer is used */
  pointerToken: number;
  multimask: boolean;
  /** stability of token 0 in single-mask mode (null in multimask mode) */
  stability: number | null;
}

/**
 * multimask: best of tokens 1..3 for mask and pointer. Single mask: token 0 if its stability
 * ≥ thresh, else the best multimask token for the mask; the pointer is always token 0's.
 */
export function chooseToken(multimask: boolean, token0Logits: Float32Array, iou: ArrayLike<number>, r: StabilityRule): TokenChoice {
  if (multimask) {
    const b = bestMultimaskToken(iou);
    return { maskToken: b, pointerToken: b, multimask, stability: null };
  }
  if (!r.dynamicMultimaskViaStability) return { maskToken: 0, pointerToken: 0, multimask, stability: null };
  const s = stabilityScore(token0Logits, r.stabilityDelta);
  return { maskToken: s >= fr(r.stabilityThresh) ? 0 : bestMultimaskToken(iou), pointerToken: 0, multimask, stability: s };
}

/** The selected mask after the no-object replacement (a new array). */
export function gateMask(logits: Float32Array, objectScore: number): Float32Array {
  if (objectScore > 0) return logits.slice();
  return new Float32Array(logits.length).fill(NO_OBJ_SCORE);
}
