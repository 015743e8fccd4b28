// Hole filling of the official predictor (fill_hole_area, spec 9.2 / Appendix C): background
// (logit ≤ 0) components, 8-connected, with area ≤ maxArea become foreground with logit 0.1.
// The reference does this with a CUDA connected-components kernel.
import { labelComponents } from './components';

const FILL_VALUE = Math.fround(0.1);

/** Returns a new array with small background holes filled (or the input copy when none). */
export function fillHoles(logits: Float32Array, h: number, w: number, maxArea: number): Float32Array {
  const out = logits.slice();
  if (maxArea <= 0) return out;
  const background = new Uint8Array(h * w);
  for (let i = 0; i < background.length; i++) background[i] = logits[i]! <= 0 ? 1 : 0;
  const { labels, sizes } = labelComponents(background, h, w);
  for (let i = 0; i < out.length; i++) {
    const l = labels[i]!;
    if (l > 0 && sizes[l]! <= maxArea) out[i] = FILL_VALUE;
  }
  return out;
}
