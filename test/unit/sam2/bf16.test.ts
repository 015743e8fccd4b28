import { describe, expect, test } from 'vitest';
import { bf16Bits, bf16ToFloat, fromBf16Bits, roundBf16, toBf16Bits } from '../../../src-main/core/sam2/bf16';

const f32Bits = (x: number) => {
  const b = new DataView(new ArrayBuffer(4));
  b.setFloat32(0, x);
  return b.getUint32(0);
};
const fromBits = (u: number) => {
  const b = new DataView(new ArrayBuffer(4));
  b.setUint32(0, u >>> 0);
  return b.getFloat32(0);
};

describe('bf16 rounding, round to nearest even (Appendix B)', () => {
  test.each([
    { name: 'exact value', x: 1.5, want: 1.5 },
    { name: 'zero', x: 0, want: 0 },
    { name: 'rounds down below half', x: fromBits(0x3f807fff), want: fromBits(0x3f800000) },
    { name: 'tie to even (down)', x: fromBits(0x3f808000), want: fromBits(0x3f800000) },
    { name: 'tie to even (up)', x: fromBits(0x3f818000), want: fromBits(0x3f820000) },
    { name: 'rounds up above half', x: fromBits(0x3f808001), want: fromBits(0x3f810000) },
    { name: 'negative tie to even', x: fromBits(0xbf818000), want: fromBits(0xbf820000) },
    { name: 'carry into exponent', x: fromBits(0x3fffffff), want: 2 },
    { name: 'max float rounds to infinity', x: fromBits(0x7f7fffff), want: Infinity },
    { name: 'infinity stays', x: -Infinity, want: -Infinity },
    { name: '0.1', x: Math.fround(0.1), want: fromBits(0x3dcd0000) },
  ])('$name', ({ x, want }) => {
    expect(roundBf16(x)).toBe(want);
  });

  test('NaN stays a (quiet) NaN', () => {
    expect(Number.isNaN(bf16ToFloat(bf16Bits(NaN)))).toBe(true);
    expect(Number.isNaN(bf16ToFloat(bf16Bits(fromBits(0x7f800001))))).toBe(true);
  });

  test('array conversion matches the scalar one and expands losslessly', () => {
    const xs = Float32Array.from([0.1, -2.75, 3.14159, 1e-30, fromBits(0x3f818000), 65504.5]);
    const bits = toBf16Bits(xs);
    expect(Array.from(bits)).toEqual(Array.from(xs, (x) => bf16Bits(x)));
    const back = fromBf16Bits(bits);
    expect(Array.from(back)).toEqual(Array.from(xs, (x) => roundBf16(x)));
    for (const v of back) expect(f32Bits(v) & 0xffff).toBe(0);
  });
});
