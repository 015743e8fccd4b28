// The binary form of a stored low-res mask (logit > 0) as run lengths: the small per-frame
// record kept for every tracked frame after the full logits were evicted (output-lru.ts).
// Runs alternate background/foreground and start with background.

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

/**
 * Substitute logits for an evicted mask: +value on the mask, −value elsewhere. `value` is the
 * documented stand-in magnitude (docs/engine.md measures its effect on the goldens).
 */
export function runsToLogits(runs: Uint32Array, length: number, value: number): Float32Array {
  const out = new Float32Array(length);
  let p = 0;
  let fg = false;
  for (let r = 0; r < runs.length; r++) {
    const end = Math.min(length, p + runs[r]!);
    out.fill(fg ? value : -value, p, end);
    p = end;
    fg = !fg;
  }
  if (p !== length) throw new Error(`runsToLogits: runs cover ${p} of ${length} values`);
  return out;
}
