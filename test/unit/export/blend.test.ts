import { describe, expect, it } from 'vitest';
import { encodeMask } from '../../../src-main/core/masks/rle';
import { blendYuv420, forEachRowSpan, YuvBlender, type BlendStyle, type YuvColorSpace } from '../../../src-main/core/export/blend';
import { outlineWidth } from '../../../src-main/core/export/outline';
import { rgbToYcbcr, yuv420Layout } from '../../../src-main/core/export/yuv420';
import type { Rgb } from '../../../src-main/core/export/plan';
import { disc, rect } from './mask-shapes';

const W = 20;
const H = 10;
const BT601: YuvColorSpace = { matrix: 'bt601', range: 'limited' };
const fill = (opacity: number): BlendStyle => ({ opacity, outlines: false });

/** A yuv420p frame of one flat colour. */
function flat([y, u, v]: [number, number, number], w = W, h = H): Uint8Array {
  const l = yuv420Layout(w, h);
  const f = new Uint8Array(l.bytes);
  f.fill(y, 0, l.uOffset);
  f.fill(u, l.uOffset, l.vOffset);
  f.fill(v, l.vOffset);
  return f;
}
const luma = (f: Uint8Array, x: number, y: number, w = W) => f[y * w + x]!;
/** Cb, Cr of the 2×2 block holding pixel (x, y) */
function chroma(f: Uint8Array, x: number, y: number, w = W, h = H): [number, number] {
  const l = yuv420Layout(w, h);
  const c = (y >> 1) * l.chromaWidth + (x >> 1);
  return [f[l.uOffset + c]!, f[l.vOffset + c]!];
}
const blendByte = (base: number, color: number, a: number) => (base * (256 - a) + color * a + 128) >> 8;

describe('blendYuv420', () => {
  const square = encodeMask(rect(W, H, 2, 2, 8, 8), H, W);
  const base: [number, number, number] = [100, 110, 140];
  const green = rgbToYcbcr([0, 255, 0], 'bt601', 'limited');

  it('blends Y per pixel and Cb/Cr per covered block at the opacity; every other byte stays', () => {
    const f = flat(base);
    const before = Uint8Array.from(f);
    blendYuv420(f, W, H, [{ rle: square, color: [0, 255, 0] }], fill(0.4), BT601);
    const a = Math.round(0.4 * 256);
    expect(luma(f, 4, 4)).toBe(blendByte(base[0], green[0], a));
    expect(chroma(f, 4, 4)).toEqual([blendByte(base[1], green[1], a), blendByte(base[2], green[2], a)]);
    const changed: number[] = [];
    f.forEach((v, i) => v !== before[i] && changed.push(i));
    // 36 luma bytes of the 6×6 square and its 9 chroma blocks in each of the two planes
    expect(changed).toHaveLength(36 + 9 + 9);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (x < 2 || x >= 8 || y < 2 || y >= 8) expect(luma(f, x, y)).toBe(base[0]);
  });

  it.each([
    ['bt601 limited', 'bt601', 'limited'],
    ['bt709 limited', 'bt709', 'limited'],
    ['bt709 full', 'bt709', 'full'],
    ['bt2020 limited', 'bt2020', 'limited'],
  ] as const)('equals blending in RGB then converting (%s), inside the mask', (_, matrix, range) => {
    // RGB blend is affine, so converting the RGB result must land on the Y'CbCr blend (±1 rounding)
    const src: Rgb = [200, 40, 90];
    const color: Rgb = [30, 144, 255];
    for (const opacity of [0.25, 0.4, 0.75]) {
      const f = flat(rgbToYcbcr(src, matrix, range));
      blendYuv420(f, W, H, [{ rle: square, color }], fill(opacity), { matrix, range });
      const a = Math.round(opacity * 256) / 256;
      const want = rgbToYcbcr(src.map((s, i) => s * (1 - a) + color[i]! * a) as Rgb, matrix, range);
      expect(Math.abs(luma(f, 5, 5) - want[0])).toBeLessThanOrEqual(1);
      chroma(f, 5, 5).forEach((c, i) => expect(Math.abs(c - want[i + 1]!)).toBeLessThanOrEqual(1));
    }
  });

  it('a block the mask half covers gets half the chroma shift (mean alpha of its 4 pixels)', () => {
    // columns 3..8: block x 2..3 is half covered (only x = 3), block x 8..9 half covered (x = 8)
    const f = flat(base);
    blendYuv420(f, W, H, [{ rle: encodeMask(rect(W, H, 3, 2, 9, 8), H, W), color: [0, 255, 0] }], fill(1), BT601);
    expect(chroma(f, 4, 4)).toEqual([green[1], green[2]]);
    expect(chroma(f, 2, 4)).toEqual([(base[1] * 512 + green[1] * 512 + 512) >> 10, (base[2] * 512 + green[2] * 512 + 512) >> 10]);
    expect(chroma(f, 8, 4)).toEqual(chroma(f, 2, 4));
    expect([luma(f, 2, 4), luma(f, 3, 4), luma(f, 8, 4), luma(f, 9, 4)]).toEqual([base[0], green[0], green[0], base[0]]);
    expect(chroma(f, 10, 4)).toEqual([base[1], base[2]]);
  });

  it('opacity 1 paints the colour exactly, opacity 0 without outlines changes nothing', () => {
    const f = flat(base);
    blendYuv420(f, W, H, [{ rle: square, color: [10, 20, 30] }], fill(1), BT601);
    const c = rgbToYcbcr([10, 20, 30], 'bt601', 'limited');
    expect([luma(f, 3, 3), ...chroma(f, 3, 3)]).toEqual(c);
    const g = flat(base);
    blendYuv420(g, W, H, [{ rle: square, color: [10, 20, 30] }], fill(0), BT601);
    expect(g).toEqual(flat(base));
  });

  it('no masks, or only empty ones, leave the frame untouched', () => {
    for (const layers of [[], [{ rle: encodeMask(new Uint8Array(W * H), H, W), color: [255, 0, 0] as Rgb }]]) {
      const f = flat(base);
      blendYuv420(f, W, H, layers, { opacity: 0.5, outlines: true }, BT601);
      expect(f).toEqual(flat(base));
    }
  });

  it('outlines paint the edge ring at full colour in luma and keep the inside as it was', () => {
    const f = flat([16, 128, 128]);
    const red = rgbToYcbcr([200, 0, 0], 'bt601', 'limited');
    blendYuv420(f, W, H, [{ rle: square, color: [200, 0, 0] }], { opacity: 0, outlines: true }, BT601);
    expect(outlineWidth(W, H)).toBe(1);
    for (let y = 2; y < 8; y++) {
      for (let x = 2; x < 8; x++) expect(luma(f, x, y)).toBe(x === 2 || x === 7 || y === 2 || y === 7 ? red[0] : 16);
    }
    expect(luma(f, 1, 4)).toBe(16);
    // block (2..3, 2..3) holds 3 edge pixels of 4, block (4..5, 4..5) none
    expect(chroma(f, 2, 2)).toEqual([(128 * 256 + red[1] * 768 + 512) >> 10, (128 * 256 + red[2] * 768 + 512) >> 10]);
    expect(chroma(f, 4, 4)).toEqual([128, 128]);
  });

  it('the frame border counts as background for outlines', () => {
    const f = flat([16, 128, 128]);
    const blue = rgbToYcbcr([0, 0, 255], 'bt601', 'limited');
    blendYuv420(f, W, H, [{ rle: encodeMask(new Uint8Array(W * H).fill(1), H, W), color: [0, 0, 255] }], { opacity: 0, outlines: true }, BT601);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) expect(luma(f, x, y)).toBe(x === 0 || y === 0 || x === W - 1 || y === H - 1 ? blue[0] : 16);
  });

  it('outlines are drawn over the fill of every layer', () => {
    const f = flat(base);
    const big = encodeMask(rect(W, H, 0, 0, 12, 10), H, W);
    const red = rgbToYcbcr([255, 0, 0], 'bt601', 'limited');
    // the red square's outline stays visible on top of the later, blue layer's fill
    blendYuv420(
      f,
      W,
      H,
      [
        { rle: square, color: [255, 0, 0] },
        { rle: big, color: [0, 0, 255] },
      ],
      { opacity: 0.5, outlines: true },
      BT601,
    );
    expect(luma(f, 2, 5)).toBe(red[0]);
    expect(luma(f, 4, 5)).toBe(blendByte(base[0], rgbToYcbcr([0, 0, 255], 'bt601', 'limited')[0], 128));
  });

  it('later layers own overlapping pixels, which are blended once', () => {
    const f = flat(base);
    const other = encodeMask(rect(W, H, 6, 0, 12, 10), H, W);
    const [r, b] = [rgbToYcbcr([200, 0, 0], 'bt601', 'limited'), rgbToYcbcr([0, 0, 200], 'bt601', 'limited')];
    blendYuv420(
      f,
      W,
      H,
      [
        { rle: square, color: [200, 0, 0] },
        { rle: other, color: [0, 0, 200] },
      ],
      fill(0.5),
      BT601,
    );
    expect(luma(f, 3, 3)).toBe(blendByte(base[0], r[0], 128));
    expect(luma(f, 6, 3)).toBe(blendByte(base[0], b[0], 128));
    expect(chroma(f, 6, 3)).toEqual([blendByte(base[1], b[1], 128), blendByte(base[2], b[2], 128)]);
    expect(luma(f, 10, 9)).toBe(blendByte(base[0], b[0], 128));
    expect(luma(f, 3, 9)).toBe(base[0]);
  });

  it('masks of an odd-sized video sit at the top-left of the padded frame; the padding is never painted', () => {
    const [w, h] = [7, 5];
    const f = flat(base, 8, 6);
    blendYuv420(f, 8, 6, [{ rle: encodeMask(new Uint8Array(w * h).fill(1), h, w), color: [0, 255, 0] }], fill(1), BT601);
    for (let y = 0; y < 6; y++) for (let x = 0; x < 8; x++) expect(luma(f, x, y, 8)).toBe(x < w && y < h ? green[0] : base[0]);
    // corner block: 1 of its 4 pixels is real
    expect(chroma(f, 7, 5, 8, 6)[0]).toBe((base[1] * 768 + green[1] * 256 + 512) >> 10);
  });

  it('a round mask: luma changes exactly on its pixels, chroma exactly on the blocks it touches', () => {
    const [w, h] = [64, 48];
    const bitmap = disc(w, h, 30.5, 20, 13);
    const f = flat(base, w, h);
    blendYuv420(f, w, h, [{ rle: encodeMask(bitmap, h, w), color: [255, 0, 255] }], fill(0.4), BT601);
    const l = yuv420Layout(w, h);
    for (let p = 0; p < w * h; p++) expect(f[p] !== base[0]).toBe(bitmap[p] === 1);
    for (let by = 0; by < h / 2; by++) {
      for (let bx = 0; bx < w / 2; bx++) {
        const touched = [0, 1, w, w + 1].some((d) => bitmap[2 * by * w + 2 * bx + d]);
        expect(f[l.uOffset + by * l.chromaWidth + bx] !== base[1]).toBe(touched);
      }
    }
  });

  it('one blender over many frames gives what a fresh one gives each frame (nothing left over between frames)', () => {
    const [w, h] = [64, 48];
    const style: BlendStyle = { opacity: 0.6, outlines: true };
    const blender = new YuvBlender(w, h, style, BT601);
    const masks = [disc(w, h, 20, 20, 12), rect(w, h, 15, 10, 50, 30), disc(w, h, 40, 30, 9), new Uint8Array(w * h), rect(w, h, 1, 1, 63, 47)];
    for (let f = 0; f < masks.length; f++) {
      const layers = [
        { rle: encodeMask(masks[f]!, h, w), color: [255, 0, 0] as Rgb },
        { rle: encodeMask(masks[(f + 1) % masks.length]!, h, w), color: [0, 0, 255] as Rgb },
      ];
      const reused = flat(base, w, h);
      const fresh = flat(base, w, h);
      blender.blend(reused, f === 3 ? [] : layers);
      blendYuv420(fresh, w, h, f === 3 ? [] : layers, style, BT601);
      expect(reused).toEqual(fresh);
    }
  });

  it('more layers than byte-sized labels hold: each pixel still gets its own layer’s colour', () => {
    const [w, h] = [40, 20];
    // 300 one-pixel layers (labels above 255), each its own colour, then a frame with one layer
    const colorOf = (i: number): Rgb => [i % 256, i < 256 ? 0 : 200, 0];
    const layers = Array.from({ length: 300 }, (_, i) => {
      const m = new Uint8Array(w * h);
      m[i * 2] = 1;
      return { rle: encodeMask(m, h, w), color: colorOf(i) };
    });
    const blender = new YuvBlender(w, h, fill(1), BT601);
    const f = flat(base, w, h);
    blender.blend(f, layers);
    for (let i = 0; i < 300; i++) expect(f[i * 2], `layer ${i}`).toBe(rgbToYcbcr(colorOf(i), 'bt601', 'limited')[0]);
    const g = flat(base, w, h);
    blender.blend(g, layers.slice(7, 8));
    const changed = [...g.subarray(0, w * h).keys()].filter((p) => g[p] !== base[0]);
    expect(changed).toEqual([14]);
  });

  it('refuses frames it cannot address', () => {
    expect(() => blendYuv420(new Uint8Array(10), W, H, [], fill(0.5), BT601)).toThrow(/holds 10 bytes, expected 300 for 20×10/);
    expect(() => blendYuv420(flat(base, 7, 5), 7, 5, [], fill(0.5), BT601)).toThrow(/needs even sides, got 7×5/);
    expect(() => blendYuv420(flat(base), W, H, [{ rle: encodeMask(new Uint8Array(21 * 10), 10, 21), color: [0, 0, 0] }], fill(0.5), BT601)).toThrow(
      /a 21×10 mask does not fit a 20×10 frame/,
    );
    const many = Array.from({ length: 32768 }, () => ({ rle: square, color: [0, 0, 0] as Rgb }));
    expect(() => blendYuv420(flat(base), W, H, many, fill(0.5), BT601)).toThrow(/32768 masks on one frame: the overlay draws at most 32767/);
  });

  it.each([
    [640, 360, 1],
    [1920, 1080, 3],
    [3840, 2160, 5],
  ])('outline width at %i×%i is %i px', (w, h, px) => {
    expect(outlineWidth(w, h)).toBe(px);
  });
});

describe('forEachRowSpan', () => {
  const spans = (mask: Uint8Array, w: number, h: number) => {
    const out: number[][] = [];
    forEachRowSpan(encodeMask(mask, h, w), (y, x0, x1) => out.push([y, x0, x1]));
    return out;
  };
  it.each([
    ['empty', new Uint8Array(12), []],
    ['one pixel', Uint8Array.from([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]), [[1, 1, 2]]],
    [
      'a run wrapping two rows',
      Uint8Array.from([0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]),
      [
        [0, 2, 4],
        [1, 0, 2],
      ],
    ],
    [
      'everything',
      new Uint8Array(12).fill(1),
      [
        [0, 0, 4],
        [1, 0, 4],
        [2, 0, 4],
      ],
    ],
    [
      'two runs in one row',
      Uint8Array.from([1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
      [
        [0, 0, 1],
        [0, 2, 4],
      ],
    ],
  ])('%s', (_, mask, want) => expect(spans(mask, 4, 3)).toEqual(want));
});
