import { describe, expect, test } from 'vitest';
import { bf16Bits } from '../../../src-main/core/sam2/bf16';
import { assembleMemory, positionsByRow, toTokens, type ObjectMemory } from '../../../src-main/core/sam2/memory-assembly';
import { pointerRel, project, sinePe1d } from '../../../src-main/core/sam2/pointer-encoding';

describe('pointer temporal encoding (spec 7.3)', () => {
  test('sines block then cosines block, dim_t = 10000^(2·floor(k/2)/(dim/2))', () => {
    const rel = Math.fround(7 / 15);
    const pe = sinePe1d(rel, 8);
    const dimT = [0, 1, 2, 3].map((k) => Math.fround(Math.pow(10000, Math.fround(Math.fround(2 * Math.floor(k / 2)) / 4))));
    expect(dimT[0]).toBe(1);
    expect(dimT[1]).toBe(1);
    expect(dimT[2]).toBe(100);
    for (let k = 0; k < 4; k++) {
      expect(pe[k]).toBeCloseTo(Math.sin(rel / dimT[k]!), 6);
      expect(pe[4 + k]).toBeCloseTo(Math.cos(rel / dimT[k]!), 6);
    }
  });

  test.each([
    { d: 1, tDiffMax: 15, rel: Math.fround(1 / 15) },
    { d: 30, tDiffMax: 15, rel: 2 },
    { d: 100, tDiffMax: 15, rel: Math.fround(100 / 15) },
    { d: 0, tDiffMax: 0, rel: 0 },
  ])('distance $d / $tDiffMax → $rel (not clamped)', ({ d, tDiffMax, rel }) => {
    expect(pointerRel(d, tDiffMax)).toBe(rel);
  });

  test('projection is W·x + b with W [out, in]', () => {
    const y = project(Float32Array.from([1, 2]), Float32Array.from([1, 0, 0.5, 3]), Float32Array.from([0.25, -1]));
    expect(Array.from(y)).toEqual([1.25, 5.5]);
  });
});

describe('memory-attention input layout (spec 7.4)', () => {
  // hw = 2 tokens, D = 2, C = 4 → each pointer splits into 2 tokens
  const L = { tokensPerMemory: 2, memDim: 2, hiddenDim: 4, posByRow: [Float32Array.from([0.1, 0.2, 0.3, 0.4]), Float32Array.from([1.1, 1.2, 1.3, 1.4])] };
  const feats = (vals: number[]) => Uint16Array.from(vals, (v) => bf16Bits(v));
  const obj = (a: number): ObjectMemory => ({
    spatial: [
      { feats: feats([a, a + 1, a + 2, a + 3]), row: 1 },
      { feats: feats([a + 4, a + 5, a + 6, a + 7]), row: 0 },
    ],
    pointers: [{ ptr: Float32Array.from([9, 8, 7, 6]), pos: Float32Array.from([0.5, 0.6]) }],
  });

  test('spatial tokens per memory frame, then pointer sub-tokens with repeated positions', () => {
    const m = assembleMemory([obj(10)], L);
    expect(m.M).toBe(2 * 2 + 2);
    expect(m.numPointerTokens).toBe(2);
    expect(Array.from(m.memory)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 9, 8, 7, 6]);
    expect(Array.from(m.memoryPos)).toEqual([1.1, 1.2, 1.3, 1.4, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.5, 0.6].map(Math.fround));
  });

  test('a batch stacks objects; different layouts are refused', () => {
    const m = assembleMemory([obj(10), obj(20)], L);
    expect(m.memory.length).toBe(2 * 6 * 2);
    expect(m.memory[12]).toBe(20);
    const other: ObjectMemory = { spatial: [obj(1).spatial[0]!], pointers: [] };
    expect(() => assembleMemory([obj(10), other], L)).toThrow(/different memory layouts/);
  });

  test('P = 0: only spatial tokens', () => {
    const m = assembleMemory([{ spatial: obj(3).spatial, pointers: [] }], L);
    expect(m.numPointerTokens).toBe(0);
    expect(m.M).toBe(4);
  });

  test('planes → tokens and position rows = pos + tpos[row] in float32', () => {
    // [C=2, hw=3] planes
    const t = toTokens(Float32Array.from([1, 2, 3, 10, 20, 30]), 2, 3);
    expect(Array.from(t)).toEqual([1, 10, 2, 20, 3, 30]);
    const rows = positionsByRow(t, Float32Array.from([0.5, 0.25, 100, 200]), 2, 3, 2);
    expect(Array.from(rows[0]!)).toEqual([1.5, 10.25, 2.5, 20.25, 3.5, 30.25]);
    expect(Array.from(rows[1]!)).toEqual([101, 210, 102, 220, 103, 230]);
  });
});

describe('planes → tokens, tile by tile (table)', () => {
  test.each([
    [1, 1],
    [2, 3],
    [31, 33],
    [32, 64],
    [33, 65],
    [256, 4096],
  ])('%i channels × %i tokens equals the plain transpose, also at an offset', (channels, hw) => {
    const planes = Float32Array.from({ length: channels * hw }, (_, i) => i * 0.5 - 7);
    const want = new Float32Array(channels * hw);
    for (let c = 0; c < channels; c++) for (let n = 0; n < hw; n++) want[n * channels + c] = planes[c * hw + n]!;
    const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    expect(bytes(toTokens(planes, channels, hw)).equals(bytes(want))).toBe(true);
    const out = new Float32Array(channels * hw + 5).fill(-1);
    toTokens(planes, channels, hw, out, 3);
    expect(bytes(out.subarray(3, 3 + channels * hw)).equals(bytes(want))).toBe(true);
    expect([out[0], out[1], out[2], out[3 + channels * hw], out[4 + channels * hw]]).toEqual([-1, -1, -1, -1, -1]);
  });
});

describe('memory-attention input layout, EdgeTAM (edgetam-notes.md section 5)', () => {
  // T = 3 tokens per stored memory (not h·w), D = 2, C = 2 → one token per pointer; float32 storage
  const L = { tokensPerMemory: 3, memDim: 2, hiddenDim: 2, posByRow: [Float32Array.from([0, 0, 0, 0, 5, 6]), Float32Array.from([1, 1, 1, 1, 7, 8])] };
  const f32 = (a: number) => Float32Array.from([a, a + 0.1, a + 0.2, a + 0.3, a + 0.4, a + 0.5].map(Math.fround));

  test('float32 memories are copied exactly (no bf16 rounding), T tokens each, then pointers', () => {
    const mem: ObjectMemory = {
      spatial: [
        { feats: f32(1.001), row: 1 },
        { feats: f32(2.001), row: 0 },
      ],
      pointers: [{ ptr: Float32Array.from([9, 8]), pos: Float32Array.from([0.5, 0.6]) }],
    };
    const m = assembleMemory([mem], L);
    expect(m.M).toBe(2 * 3 + 1);
    expect(m.numPointerTokens).toBe(1);
    expect(Array.from(m.memory.subarray(0, 12))).toEqual([...f32(1.001), ...f32(2.001)]);
    expect(Array.from(m.memory.subarray(12))).toEqual([9, 8]);
    expect(Array.from(m.memoryPos.subarray(0, 12))).toEqual([1, 1, 1, 1, 7, 8, 0, 0, 0, 0, 5, 6]);
  });

  test('a memory of the wrong token count is refused', () => {
    const bad: ObjectMemory = { spatial: [{ feats: new Float32Array(4), row: 0 }], pointers: [] };
    expect(() => assembleMemory([bad], L)).toThrow(/has 4 values, the layout needs 3×2/);
  });
});
