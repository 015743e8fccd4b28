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
  const { runs, fg, bg, nf } = scanMask(logits);
  const nb = logits.length - nf;
  return { runs, fgMean: nf ? Math.fround(fg / nf) : 0, bgMean: nb ? Math.fround(bg / nb) : 0 };
}

export function encodeRuns(logits: Float32Array): Uint32Array {
  return scanMask(logits).runs;
}

/** Room for the runs of one mask (at most one per value plus the leading background run), reused. */
let runScratch = new Uint32Array(0);

/**
 * One pass over the logits: the run lengths of `> 0` (background first) and the sums inside and
 * outside, in index order. Runs are written into a reused typed buffer and copied out at their
 * count: a noisy map has tens of thousands of runs, which a growing array made slow.
 */
function scanMask(logits: Float32Array): { runs: Uint32Array; fg: number; bg: number; nf: number } {
  if (runScratch.length < logits.length + 1) runScratch = new Uint32Array(logits.length + 1);
  const runs = runScratch;
  let n = 0;
  let on = false;
  let start = 0;
  let fg = 0;
  let bg = 0;
  let nf = 0;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]!;
    const pos = v > 0;
    if (pos) {
      fg += v;
      nf++;
    } else bg += v;
    if (pos !== on) {
      runs[n++] = i - start;
      start = i;
      on = pos;
    }
  }
  runs[n++] = logits.length - start;
  return { runs: runs.slice(0, n), fg, bg, nf };
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
