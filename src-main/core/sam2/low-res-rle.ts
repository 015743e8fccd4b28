// The small per-frame record kept for every tracked frame after its full logits were evicted
// (output-lru.ts): the binary mask (logit > 0) as run lengths — alternating background and
// foreground, starting with background — plus the mean logit inside and outside the mask.
// The substitute logits rebuilt from it are `mean inside` on the mask and `mean outside`
// elsewhere: a model with confident (large) logits gets large substitutes, a hesitant one small.

export interface MaskSummary {
  runs: Uint32Array;
  /** mean logit over the mask (0 when empty) */
  fgMean: number;
  /** mean logit outside the mask (0 when the mask covers everything) */
  bgMean: number;
}

export function summarizeMask(logits: Float32Array): MaskSummary {
  let fg = 0;
  let bg = 0;
  let nf = 0;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]!;
    if (v > 0) {
      fg += v;
      nf++;
    } else bg += v;
  }
  const nb = logits.length - nf;
  return { runs: encodeRuns(logits), fgMean: nf ? Math.fround(fg / nf) : 0, bgMean: nb ? Math.fround(bg / nb) : 0 };
}

export function encodeRuns(logits: Float32Array): Uint32Array {
  const runs: number[] = [];
  let fg = false;
  let len = 0;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]! > 0;
    if (v !== fg) {
      runs.push(len);
      fg = v;
      len = 0;
    }
    len++;
  }
  runs.push(len);
  return Uint32Array.from(runs);
}

/** Substitute logits for an evicted mask: `fg` on the mask, `bg` elsewhere. */
export function runsToLogits(runs: Uint32Array, length: number, fg: number, bg: number): Float32Array {
  const out = new Float32Array(length);
  let p = 0;
  let on = false;
  for (let r = 0; r < runs.length; r++) {
    const end = Math.min(length, p + runs[r]!);
    out.fill(on ? fg : bg, p, end);
    p = end;
    on = !on;
  }
  if (p !== length) throw new Error(`runsToLogits: runs cover ${p} of ${length} values`);
  return out;
}
