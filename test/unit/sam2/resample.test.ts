import { describe, expect, test } from 'vitest';
import { aaBilinearResize, bilinearMask, bilinearResize } from '../../../src-main/core/sam2/bilinear';
import { maskDownsample, maskPromptLowRes, maskToModelSize } from '../../../src-main/core/sam2/mask-prompt';
import { normalizeToPixelValues, preprocessFrame } from '../../../src-main/core/sam2/preprocess';
import { aaBilinearWeightsU8, resizeRgbU8 } from '../../../src-main/core/sam2/resize-rgb-u8';
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
