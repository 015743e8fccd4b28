// Hole filling of the official predictor (fill_hole_area, spec 9.2 / Appendix C): background
// (logit ≤ 0) components, 8-connected, with area ≤ maxArea become foreground with logit 0.1.
// The reference does this with a CUDA connected-components kernel; this is a BFS over a stack.

const FILL_VALUE = Math.fround(0.1);

/** Returns a new array with small background holes filled (or the input copy when none). */
export function fillHoles(logits: Float32Array, h: number, w: number, maxArea: number): Float32Array {
  const out = logits.slice();
  if (maxArea <= 0) return out;
  const n = h * w;
  const seen = new Uint8Array(n);
  const stack = new Int32Array(n);
  const comp = new Int32Array(n);
  for (let start = 0; start < n; start++) {
    if (seen[start] || logits[start]! > 0) continue;
    let top = 0;
    let size = 0;
    stack[top++] = start;
    seen[start] = 1;
    while (top > 0) {
      const p = stack[--top]!;
      comp[size++] = p;
      const y = (p / w) | 0;
      const x = p - y * w;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if ((dx === 0 && dy === 0) || xx < 0 || xx >= w) continue;
          const q = yy * w + xx;
          if (!seen[q] && logits[q]! <= 0) {
            seen[q] = 1;
            stack[top++] = q;
          }
        }
      }
    }
    if (size <= maxArea) for (let i = 0; i < size; i++) out[comp[i]!] = FILL_VALUE;
  }
  return out;
}
