// The stability score on hand-made logits, and the cell-wise upsampling against upsampling every
// pixel with bilinearResize (counts and masks must be identical, not close).
import { describe, expect, test } from 'vitest';
import { bilinearResize } from '../../../src-main/core/sam2/bilinear';
import { stabilityCounts, stabilityScore } from '../../../src-main/core/sam2/amg/stability';
import { upsampleCounts, upsampleMask, upsamplePlan } from '../../../src-main/core/sam2/upsample-cells';

describe('stability score', () => {
  test.each([
    { name: 'all far above the cut-offs', logits: [5, 6, 7, 8], want: 1 },
    { name: '2 of 4 above +1, 4 above −1', logits: [5, 0.5, -0.5, 3], want: 0.5 },
    { name: 'values exactly at ±1 are not above them', logits: [1, -1, 2, 0], want: 1 / 3 },
    { name: 'nothing above −1: 0 / 0 is NaN (no threshold keeps it)', logits: [-2, -5, -1], want: NaN },
  ])('$name', ({ logits, want }) => {
    const s = stabilityScore(Float32Array.from(logits), 0, 1);
    if (Number.isNaN(want)) expect(s).toBeNaN();
    else expect(s).toBe(Math.fround(want));
  });

  test('threshold and offset move both cut-offs; the ratio is float32', () => {
    const l = Float32Array.from([0.4, 0.6, 1.2, 2.5, -0.3, 3]);
    expect(stabilityCounts(l, 1, 0.5)).toEqual({ inter: 2, union: 4 }); // > 1.5 and > 0.5
    expect(stabilityScore(l, 1, 0.5)).toBe(0.5);
    expect(stabilityScore(Float32Array.from([2, 2, 2, 0]), 0, 1)).toBe(Math.fround(3 / 4));
    expect(stabilityScore(Float32Array.from([2, 0.5, 0.5]), 0, 1)).toBe(Math.fround(1 / 3));
  });
});

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function logitMaps(L: number): { name: string; map: Float32Array }[] {
  const r = rng(7);
  const disc = new Float32Array(L * L);
  const noise = new Float32Array(L * L);
  const steps = new Float32Array(L * L);
  const bands = new Float32Array(L * L);
  for (let y = 0; y < L; y++) {
    for (let x = 0; x < L; x++) {
      disc[y * L + x] = 12 * (1 - Math.hypot(x - 0.4 * L, y - 0.55 * L) / (0.3 * L));
      noise[y * L + x] = (r() - 0.5) * 4;
      // integers and exact cut-off values: cells whose corners sit exactly on ±1 and 0
      steps[y * L + x] = ((x + 2 * y) % 5) - 2;
      // noisy and smooth bands in turn: row groups switch between whole rows and cell by cell
      bands[y * L + x] = Math.floor(y / 5) % 3 === 0 ? (r() - 0.5) * 4 : disc[y * L + x]!;
    }
  }
  return [
    { name: 'smooth disc (logits ±12)', map: disc },
    { name: 'noise in (−2, 2)', map: noise },
    { name: 'integer steps −2..2', map: steps },
    { name: 'constant exactly 1', map: new Float32Array(L * L).fill(1) },
    { name: 'noisy bands between smooth ones', map: bands },
  ];
}

describe('cell-wise upsampling equals upsampling every pixel', () => {
  const sizes = [
    { name: 'up 16 → 37×53', L: 16, h: 37, w: 53 },
    { name: 'up 64 → 180×320', L: 64, h: 180, w: 320 },
    { name: 'identity 32 → 32×32', L: 32, h: 32, w: 32 },
    { name: 'down 64 → 41×29', L: 64, h: 41, w: 29 },
    { name: 'mixed 32 → 100×20', L: 32, h: 100, w: 20 },
  ];
  for (const s of sizes) {
    test.each(logitMaps(s.L))(`${s.name}: $name`, ({ map }) => {
      const full = bilinearResize(map, s.L, s.L, s.h, s.w);
      const plan = upsamplePlan(s.L, s.L, s.h, s.w);
      for (const [t, off] of [
        [0, 1],
        [0.5, 0.25],
        [0, 0],
      ] as const) {
        expect(upsampleCounts(map, plan, t + off, t - off)).toEqual(stabilityCounts(full, t, off));
      }
      for (const t of [0, 1, -1.5]) {
        const want = Uint8Array.from(full, (v) => (v > Math.fround(t) ? 1 : 0));
        const got = upsampleMask(map, plan, t, new Uint8Array(s.h * s.w).fill(7));
        expect(Buffer.from(got).equals(Buffer.from(want))).toBe(true);
      }
    });
  }
});
