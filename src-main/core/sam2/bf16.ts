// bfloat16 rounding (round to nearest even), as PyTorch's `.to(torch.bfloat16)`: the reference
// stores memory features in bf16, so the engine rounds them the same way (spec Appendix B) and
// keeps only the upper 16 bits. Expanding back (`bits << 16`) is lossless.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** bf16 bit pattern of one float32 value. */
export function bf16Bits(x: number): number {
  f32[0] = x;
  const u = u32[0]!;
  if ((u & 0x7f800000) === 0x7f800000 && (u & 0x007fffff) !== 0) return ((u >>> 16) | 0x0040) & 0xffff; // quiet NaN
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
}

/** The float32 value of a bf16 bit pattern. */
export function bf16ToFloat(bits: number): number {
  u32[0] = (bits & 0xffff) << 16;
  return f32[0]!;
}

/** Rounds a float32 value to bf16 precision, returned as a (float32-exact) number. */
export function roundBf16(x: number): number {
  return bf16ToFloat(bf16Bits(x));
}

/** Rounds a whole array to bf16 bit patterns. */
export function toBf16Bits(src: Float32Array, out = new Uint16Array(src.length)): Uint16Array {
  const u = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < u.length; i++) {
    const v = u[i]!;
    if ((v & 0x7f800000) === 0x7f800000 && (v & 0x007fffff) !== 0) out[i] = ((v >>> 16) | 0x0040) & 0xffff;
    else out[i] = ((v + 0x7fff + ((v >>> 16) & 1)) >>> 16) & 0xffff;
  }
  return out;
}

/** Expands bf16 bit patterns into float32 values (exact). */
export function fromBf16Bits(bits: Uint16Array, out = new Float32Array(bits.length), outOffset = 0): Float32Array {
  const u = new Uint32Array(out.buffer, out.byteOffset + outOffset * 4, bits.length);
  for (let i = 0; i < bits.length; i++) u[i] = bits[i]! << 16;
  return out;
}
