// Mask prompts (spec 5.7, 8.4, official predictor): the user's H×W mask becomes a 0/1 mask at
// S×S (antialiased bilinear resize, then ≥ 0.5), its low-res logits are the antialiased
// downsample of 20·m − 10, the decoder's dense prompt is the pack's 4×4 stride-4 convolution of
// m, and presence is decided by the mask itself (score +10 / −10).
import { aaBilinearResize } from './bilinear';

const fr = Math.fround;

/** The user mask (any non-zero = foreground) as 0/1 float at S×S. */
export function maskToModelSize(mask: Uint8Array, height: number, width: number, size: number): Float32Array {
  const f = new Float32Array(mask.length);
  for (let i = 0; i < mask.length; i++) f[i] = mask[i] ? 1 : 0;
  if (height === size && width === size) return f;
  const r = aaBilinearResize(f, height, width, size, size);
  for (let i = 0; i < r.length; i++) r[i] = r[i]! >= 0.5 ? 1 : 0;
  return r;
}

/** Stored low-res logits of a mask prompt: AA-downsample of 20·m − 10 from S×S to lowRes×lowRes. */
export function maskPromptLowRes(m: Float32Array, size: number, lowRes: number): Float32Array {
  const high = new Float32Array(m.length);
  for (let i = 0; i < m.length; i++) high[i] = fr(fr(m[i]! * 20) - 10);
  return aaBilinearResize(high, size, size, lowRes, lowRes);
}

/** Conv2d(1→1, kernel 4, stride 4, bias) of the S×S mask: the decoder's mask_input. */
export function maskDownsample(m: Float32Array, size: number, weight: Float32Array, bias: number): Float32Array {
  const o = size / 4;
  const out = new Float32Array(o * o);
  for (let y = 0; y < o; y++) {
    for (let x = 0; x < o; x++) {
      let acc = 0;
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) acc += weight[i * 4 + j]! * m[(4 * y + i) * size + 4 * x + j]!;
      out[y * o + x] = fr(acc + bias);
    }
  }
  return out;
}

export function maskIsEmpty(m: Float32Array): boolean {
  for (let i = 0; i < m.length; i++) if (m[i]! > 0) return false;
  return true;
}
