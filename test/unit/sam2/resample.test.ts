import { describe, expect, test } from 'vitest';
import { aaBilinearResize, bilinearMask, bilinearResize } from '../../../src-main/core/sam2/bilinear';
import { maskDownsample, maskPromptLowRes, maskToModelSize } from '../../../src-main/core/sam2/mask-prompt';
import { normalisationTables, normalizeToPixelValues, preprocessFrame, resizeNormalize } from '../../../src-main/core/sam2/preprocess';
import { aaBilinearWeightsU8, aaWeightsU8, cachedWeightsU8, pairsOf, resizeRgbU8, type ResizeFilter } from '../../../src-main/core/sam2/resize-rgb-u8';
import { goldenFrames, loadGolden } from '../../fixtures/sam2-micro/golden';

const fr = Math.fround;

describe('uint8 antialiased bilinear resize (torch fixed-point kernel)', () => {
  test('reproduces the reference resized frames of the golden video exactly', () => {
    const g = loadGolden();
    const orig = goldenFrames(g, false);
    const ref = goldenFrames(g, true);
    let differing = 0;
    for (let t = 0; t < g.T; t++) {
      const out = resizeRgbU8(orig[t]!.data, g.W, g.H, g.S, g.S);
      const want = ref[t]!.data;
      for (let i = 0; i < out.length; i++) if (out[i] !== want[i]) differing++;
    }
    expect(differing).toBe(0);
  });

  test('weights: 2:1 downsampling uses (1,3,3,1)/8 in fixed point, precision from the largest weight', () => {
    const w = aaBilinearWeightsU8(8, 4);
    // interior output 1: center 3, inputs 1..4 with triangle weights 1/8, 3/8, 3/8, 1/8
    expect(w.start[1]).toBe(1);
    expect(w.count[1]).toBe(4);
    const p = w.precision;
    expect(Array.from(w.weights.slice(w.taps, w.taps + 4))).toEqual([1, 3, 3, 1].map((k) => Math.trunc((k / 8) * 2 ** p + 0.5)));
    // largest weight 3/8: round(0.375 · 2^(p+1)) must stay below 2^15
    expect(Math.trunc(0.5 + 0.375 * 2 ** p)).toBeLessThan(1 << 15);
    expect(Math.trunc(0.5 + 0.375 * 2 ** (p + 1))).toBeGreaterThanOrEqual(1 << 15);
  });

  test('a frame that already has the model size is returned unchanged (identity)', () => {
    const src = Uint8Array.from({ length: 4 * 4 * 3 }, (_, i) => (i * 37) % 256);
    expect(Array.from(resizeRgbU8(src, 4, 4, 4, 4))).toEqual(Array.from(src));
  });

  test('flat colours stay flat (weights sum to one, rounding is unbiased)', () => {
    const src = new Uint8Array(7 * 5 * 3);
    for (let i = 0; i < src.length; i += 3) src.set([200, 17, 255], i);
    const out = resizeRgbU8(src, 7, 5, 16, 3);
    for (let i = 0; i < out.length; i += 3) expect([out[i], out[i + 1], out[i + 2]]).toEqual([200, 17, 255]);
  });
});

/**
 * The resampler as the header of resize-rgb-u8.ts states it, written plainly: a whole horizontal
 * pass into a uint8 image, then a whole vertical pass (torch's order), each (2^(p−1) + Σ w·v) >> p
 * clamped to 0..255. The one-pass implementation must give the same bytes.
 */
function plainResize(src: Uint8Array, w: number, h: number, outW: number, outH: number, filter: ResizeFilter): Uint8Array {
  let cur = src;
  if (outW !== w) {
    const a = aaWeightsU8(w, outW, filter);
    const next = new Uint8Array(outW * h * 3);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < outW; x++)
        for (let c = 0; c < 3; c++) {
          let acc = 1 << (a.precision - 1);
          for (let k = 0; k < a.count[x]!; k++) acc += a.weights[x * a.taps + k]! * cur[(y * w + a.start[x]! + k) * 3 + c]!;
          next[(y * outW + x) * 3 + c] = Math.min(255, Math.max(0, acc >> a.precision));
        }
    cur = next;
  }
  if (outH !== h) {
    const a = aaWeightsU8(h, outH, filter);
    const next = new Uint8Array(outW * outH * 3);
    for (let y = 0; y < outH; y++)
      for (let i = 0; i < outW * 3; i++) {
        let acc = 1 << (a.precision - 1);
        for (let k = 0; k < a.count[y]!; k++) acc += a.weights[y * a.taps + k]! * cur[(a.start[y]! + k) * outW * 3 + i]!;
        next[y * outW * 3 + i] = Math.min(255, Math.max(0, acc >> a.precision));
      }
    cur = next;
  }
  return cur === src ? src.slice() : cur;
}

/** Seeded bytes with hard edges and flat runs (flat areas stay flat, edges overshoot with the cubic). */
function testImage(w: number, h: number, seed: number): Uint8Array {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  return Uint8Array.from({ length: w * h * 3 }, (_, i) => (Math.floor(i / 3) % 7 < 3 ? (next() >>> 24 > 128 ? 255 : 0) : next() >>> 24));
}

describe('one-pass resampler against the plain two-pass statement (table)', () => {
  const cases: [string, number, number, number, number][] = [
    ['video frame → SAM input (upscale both)', 960, 540, 1024, 1024],
    ['1080p → SAM input (downscale both)', 1920, 1080, 1024, 1024],
    ['identity size', 13, 9, 13, 9],
    ['width only', 17, 11, 40, 11],
    ['height only', 17, 11, 17, 3],
    ['odd sizes, up and down', 333, 71, 224, 517],
    ['one pixel to many', 1, 1, 3, 5],
    ['many to one pixel', 9, 7, 1, 1],
    ['2:1 down (4 taps)', 64, 48, 32, 24],
    ['mixed: narrower, taller', 640, 480, 300, 1024],
  ];
  for (const filter of ['bilinear', 'bicubic'] as const) {
    test.each(cases)(`${filter}: %s (%ix%i → %ix%i)`, (_, w, h, outW, outH) => {
      const src = testImage(w, h, w * 31 + h);
      const want = plainResize(src, w, h, outW, outH, filter);
      const got = resizeRgbU8(src, w, h, outW, outH, filter);
      expect(got.length).toBe(want.length);
      expect(Buffer.compare(Buffer.from(got), Buffer.from(want))).toBe(0);
      // the normalised planes are the table lookups of the same bytes (one pass, no intermediate)
      const mean = [0.485, 0.456, 0.406];
      const std = [0.229, 0.224, 0.225];
      const planes = resizeNormalize({ width: w, height: h, data: src }, outW, outH, filter, mean, std);
      const t = normalisationTables(mean, std);
      const plane = outW * outH;
      let differing = 0;
      for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) if (planes[c * plane + i] !== t[c]![want[i * 3 + c]!]) differing++;
      expect(differing).toBe(0);
    });
  }

  test('the bicubic cases do overshoot (the clamp is exercised)', () => {
    const src = testImage(333, 71, 333 * 31 + 71);
    const a = aaWeightsU8(71, 517, 'bicubic');
    expect(Math.min(...a.weights)).toBeLessThan(0);
    // some output byte would fall outside 0..255 without the clamp: 0 and 255 both occur next to edges
    const out = resizeRgbU8(src, 333, 71, 224, 517, 'bicubic');
    expect(out.includes(0) && out.includes(255)).toBe(true);
  });

  // the cases above cover both paths; this says which axes take the two-tap one (a test that
  // went through the general loop only would prove nothing about it)
  test.each([
    ['960 → 1024 bilinear (upscale)', 960, 1024, 'bilinear', true],
    ['540 → 1024 bilinear (upscale, right-edge single taps)', 540, 1024, 'bilinear', true],
    ['1920 → 1024 bilinear (downscale: more taps)', 1920, 1024, 'bilinear', false],
    ['540 → 1024 bicubic (negative weights)', 540, 1024, 'bicubic', false],
    ['1 → 3 bilinear (a single input: no second tap to read)', 1, 3, 'bilinear', false],
  ] as const)('two-tap axis: %s', (_, inSize, outSize, filter, two) => {
    const ax = aaWeightsU8(inSize, outSize, filter);
    const pairs = pairsOf(ax);
    expect(pairs !== null).toBe(two);
    if (!pairs) return;
    for (let x = 0; x < outSize; x++) {
      // the two reads stay inside the row, and give the same sum as the axis' own taps
      expect(pairs.at[x]! / 3 + 1).toBeLessThan(inSize);
      const taps = Array.from({ length: ax.count[x]! }, (_, k) => ax.weights[x * ax.taps + k]!);
      expect(pairs.w0[x]! + pairs.w1[x]!).toBe(taps.reduce((a, b) => a + b, 0));
    }
  });

  test('weights are cached per (filter, in, out) and equal freshly computed ones', () => {
    const a = cachedWeightsU8(540, 1024, 'bilinear');
    expect(cachedWeightsU8(540, 1024, 'bilinear')).toBe(a);
    expect(cachedWeightsU8(540, 1024, 'bicubic')).not.toBe(a);
    expect(a).toEqual(aaWeightsU8(540, 1024, 'bilinear'));
  });

  test('writes into a given output and refuses one that is too small', () => {
    const src = testImage(5, 4, 1);
    const out = new Float32Array(3 * 8 * 8 + 2).fill(7);
    expect(resizeNormalize({ width: 5, height: 4, data: src }, 8, 8, 'bilinear', [0.5, 0.5, 0.5], [0.5, 0.5, 0.5], out)).toBe(out);
    expect(out[3 * 64]).toBe(7);
    expect(() => resizeNormalize({ width: 5, height: 4, data: src }, 8, 8, 'bilinear', [0.5, 0.5, 0.5], [0.5, 0.5, 0.5], new Float32Array(10))).toThrow(
      /needed/,
    );
    expect(() => resizeRgbU8(src.subarray(1), 5, 4, 8, 8)).toThrow(/expected 60 bytes/);
  });
});

describe('normalisation', () => {
  test('matches the golden pixel values of frame 0 bit for bit', () => {
    const g = loadGolden();
    const px = normalizeToPixelValues(goldenFrames(g, true)[0]!.data, g.S, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);
    const want = g.f32('video/pixel_values_frame0');
    let maxDiff = 0;
    for (let i = 0; i < want.length; i++) maxDiff = Math.max(maxDiff, Math.abs(px[i]! - want[i]!));
    expect(maxDiff).toBe(0);
  });

  test('preprocessing the original frame equals normalising the reference resize', () => {
    const g = loadGolden();
    const a = preprocessFrame(goldenFrames(g, false)[3]!, g.S, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);
    const b = normalizeToPixelValues(goldenFrames(g, true)[3]!.data, g.S, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);
    expect(a).toEqual(b);
  });
});

describe('bilinear, align_corners = False, no antialias (Appendix A.1)', () => {
  test('2 → 4 upsampling: source positions -0.25→0, 0.25, 0.75, 1.25→1', () => {
    const out = bilinearResize(Float32Array.from([0, 10]), 1, 2, 1, 4);
    expect(Array.from(out)).toEqual([0, 2.5, 7.5, 10]);
  });

  test('256 → 1024 pattern: the first two outputs clamp to the first input', () => {
    const src = Float32Array.from({ length: 8 }, (_, i) => i * 4);
    const out = bilinearResize(src, 1, 8, 1, 32);
    // src = 0.25·(d + 0.5) − 0.5: −0.375, −0.125 → 0; 0.125 → 0.5; 0.375 → 1.5; 0.625 → 2.5
    expect(Array.from(out.slice(0, 5))).toEqual([0, 0, 0.5, 1.5, 2.5]);
    expect(out[31]).toBe(28);
  });

  test('2-D value is l0y·(l0x·v00 + l1x·v01) + l1y·(l0x·v10 + l1x·v11) in float32', () => {
    const src = Float32Array.from([1, 2, 3, 4.5]);
    const out = bilinearResize(src, 2, 2, 3, 3);
    // scale 2/3 (float32): centre output maps to 0.5 in both axes
    const s = fr(2 / 3);
    const p = fr(fr(s * 1.5) - 0.5);
    const l1 = p;
    const l0 = fr(1 - l1);
    const top = fr(fr(1 * l0) + fr(2 * l1));
    const bot = fr(fr(3 * l0) + fr(4.5 * l1));
    expect(out[4]).toBe(fr(fr(top * l0) + fr(bot * l1)));
  });

  test('downsampling is a direct resize (no antialias): 4 → 2 samples between pairs', () => {
    expect(Array.from(bilinearResize(Float32Array.from([0, 4, 8, 12]), 1, 4, 1, 2))).toEqual([2, 10]);
  });

  test('mask = resize > 0, and matches the golden video logits of S1', () => {
    const g = loadGolden();
    const rows = Array.from(g.i32('S1/video_logits_rows'));
    const lr = g.f32('S1/lowres_logits');
    const vl = g.f32('S1/video_logits_subset');
    const L = 64;
    const HW = g.H * g.W;
    let maxDiff = 0;
    rows.forEach((row, k) => {
      for (let o = 0; o < 2; o++) {
        const src = lr.subarray((row * 2 + o) * L * L, (row * 2 + o + 1) * L * L);
        const want = vl.subarray((k * 2 + o) * HW, (k * 2 + o + 1) * HW);
        const got = bilinearResize(src, L, L, g.H, g.W);
        for (let i = 0; i < HW; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i]! - want[i]!));
        const m = bilinearMask(src, L, L, g.H, g.W);
        let mismatches = 0;
        for (let i = 0; i < HW; i++) if (m[i] !== (got[i]! > 0 ? 1 : 0)) mismatches++;
        expect(mismatches).toBe(0);
      }
    });
    expect(maxDiff).toBeLessThan(1e-4);
  });
});

describe('antialiased bilinear (Appendix A.2, mask prompts)', () => {
  test('1024 → 256 weights: interior (1,3,5,7,7,5,3,1)/32, first output (5,7,7,5,3,1)/28', () => {
    const impulse = (j: number) => {
      const a = new Float32Array(1024);
      a[j] = 1;
      return aaBilinearResize(a, 1, 1024, 1, 256);
    };
    // output 10 reads inputs 38..45
    expect([38, 39, 40, 41, 42, 43, 44, 45].map((j) => impulse(j)[10]! * 32)).toEqual([1, 3, 5, 7, 7, 5, 3, 1].map((v) => expect.closeTo(v, 5)));
    expect([0, 1, 2, 3, 4, 5].map((j) => impulse(j)[0]! * 28)).toEqual([5, 7, 7, 5, 3, 1].map((v) => expect.closeTo(v, 5)));
  });

  test('upsampling renormalises at the borders instead of clamping', () => {
    const out = aaBilinearResize(Float32Array.from([0, 10]), 1, 2, 1, 4);
    // border output 0: center 0.25 → weights over inputs 0..1: (1 − 0.25)… only input 0 within support → 0
    expect(out[0]).toBeCloseTo(0, 6);
    expect(out[1]).toBeCloseTo(2.5, 5);
    expect(out[3]).toBeCloseTo(10, 5);
  });
});

describe('mask prompt helpers', () => {
  test('a full mask gives low-res logits of +10 and a mask_input of Σw + b', () => {
    const S = 16;
    const m = new Float32Array(S * S).fill(1);
    for (const v of maskPromptLowRes(m, S, 4)) expect(v).toBeCloseTo(10, 5);
    const w = Float32Array.from({ length: 16 }, (_, i) => i / 16);
    const out = maskDownsample(m, S, w, 0.5);
    expect(out[0]).toBeCloseTo(7.5 + 0.5, 5);
  });

  test('a mask at another size is resized to S×S and thresholded at 0.5', () => {
    const m = new Uint8Array(8 * 8);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 4; x++) m[y * 8 + x] = 255;
    const r = maskToModelSize(m, 8, 8, 16);
    expect(r[0]).toBe(1);
    expect(r[15]).toBe(0);
    expect(r.reduce((a, b) => a + b, 0)).toBe(128);
  });
});
