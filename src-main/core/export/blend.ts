// Paints masks over one decoded yuv420p frame, in place, in the source's own Y'CbCr.
//
// Alpha blending is affine and so is the RGB → Y'CbCr conversion, so blending Y, Cb and Cr with
// the colour's Y'CbCr equals blending in RGB and converting, pixel for pixel, for luma. Chroma
// is stored once per 2×2 block, so it is blended with the mean alpha of the block's four pixels
// (and the alpha-weighted mean of their colours): inside a mask that is the RGB result; on a
// mask's edge the block's colour is shifted by the share of the block the mask covers, which is
// where an RGB blend differs — by at most what chroma subsampling itself changes there.
// Pixels (and blocks) outside every mask are never written, so a frame without masks, and every
// unmasked pixel of a masked one, leaves here byte-identical.
import type { Rle } from '../../api/contract';
import { rleBbox } from '../masks/rle';
import { outlineWidth, paintEdge } from './outline';
import type { Rgb } from './plan';
import { forEachForegroundRun, paintRle } from './rle-paint';
import { rgbToYcbcr, yuv420Layout, type Yuv420Layout, type YuvMatrix, type YuvRange } from './yuv420';

export interface BlendLayer {
  rle: Rle;
  color: Rgb;
}

export interface BlendStyle {
  /** 0..1 fill opacity */
  opacity: number;
  /** also draw each mask's edge in its colour at full strength */
  outlines: boolean;
}

/** How the frame's bytes encode colour: the overlay colour is converted the same way. */
export interface YuvColorSpace {
  matrix: YuvMatrix;
  range: YuvRange;
}

/**
 * Paints the masks of successive frames of one size. Where layers overlap, the later one owns
 * the pixel: each pixel is blended once, with the colour of its top layer; outlines are drawn
 * over every fill, later outlines on top. `width` × `height` is the frame's (even) size; masks
 * may be one pixel smaller in each direction (an odd-sized video padded to even sides) and sit
 * at its top-left.
 */
export class YuvBlender {
  private readonly layout: Yuv420Layout;
  // Who shows on each pixel: 0 nothing, 1..n fill of layer i, n+1..2n edge of layer i. Painted
  // with fills (memset-fast), then read and cleared block by block along the masks' runs, so it
  // is all zeros again after every frame and never needs clearing as a whole: the work per
  // frame follows the masks' area, not the frame's. Bytes while labels fit (up to 127 layers):
  // half the memory traffic of 16-bit labels on a map as big as the frame.
  private labels: Uint8Array | Uint16Array;
  private readonly alpha: number;

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly style: BlendStyle,
    private readonly space: YuvColorSpace,
  ) {
    if (width % 2 || height % 2) throw new Error(`a yuv420p overlay frame needs even sides, got ${width}×${height}`);
    this.layout = yuv420Layout(width, height);
    this.labels = new Uint8Array(width * height);
    // fixed point: alpha in 1/256 steps keeps the inner loop in integers
    this.alpha = Math.round(style.opacity * 256);
  }

  blend(frame: Uint8Array, layers: readonly BlendLayer[]): void {
    const { width, height, layout } = this;
    if (frame.length !== layout.bytes) throw new Error(`yuv420p frame holds ${frame.length} bytes, expected ${layout.bytes} for ${width}×${height}`);
    for (const l of layers) {
      if (l.rle.w > width || l.rle.h > height) throw new Error(`a ${l.rle.w}×${l.rle.h} mask does not fit a ${width}×${height} frame`);
    }
    const a = this.alpha;
    if (layers.length === 0 || (a === 0 && !this.style.outlines)) return;
    const n = layers.length;
    if (2 * n + 1 > 0xffff) throw new Error(`${n} masks on one frame: the overlay draws at most ${(0xffff - 1) / 2}`);
    // all zeros between frames, so switching to wider labels loses nothing
    if (2 * n + 1 > 255 && this.labels instanceof Uint8Array) this.labels = new Uint16Array(width * height);
    const labels = this.labels;
    if (a > 0) layers.forEach((l, i) => paintRle(l.rle, labels, i + 1, width));
    if (this.style.outlines) layers.forEach((l, i) => paintEdge(l.rle, rleBbox(l.rle), outlineWidth(l.rle.w, l.rle.h), labels, n + i + 1, width, 0));
    const t = this.labelTables(layers);
    try {
      for (const l of layers) forEachRowSpan(l.rle, (y, x0, x1) => this.blendBlocks(frame, y - (y % 2), x0 - (x0 % 2), x1, t));
    } catch (err) {
      labels.fill(0);
      throw err;
    }
  }

  /** Per label: alpha (of 256) and the colour's Y, Cb, Cr premultiplied by it. */
  private labelTables(layers: readonly BlendLayer[]): LabelTables {
    const n = layers.length;
    const t = { alpha: new Int32Array(2 * n + 1), y: new Int32Array(2 * n + 1), u: new Int32Array(2 * n + 1), v: new Int32Array(2 * n + 1) };
    layers.forEach((l, i) => {
      const [yc, uc, vc] = rgbToYcbcr(l.color, this.space.matrix, this.space.range);
      for (const [label, al] of [
        [i + 1, this.alpha],
        [n + i + 1, 256],
      ] as const) {
        t.alpha[label] = al;
        t.y[label] = yc * al;
        t.u[label] = uc * al;
        t.v[label] = vc * al;
      }
    });
    return t;
  }

  /** Blends the 2×2 blocks of rows y, y + 1 (y even) from column x0 (even) up to x1, and clears their labels. */
  private blendBlocks(frame: Uint8Array, y: number, x0: number, x1: number, t: LabelTables): void {
    const { labels, width, layout } = this;
    const { alpha, y: ya, u: ua, v: va } = t;
    const top = y * width;
    const bottom = top + width;
    const chroma = (y >> 1) * layout.chromaWidth;
    for (let x = x0; x < x1; x += 2) {
      const l0 = labels[top + x]!;
      const l1 = labels[top + x + 1]!;
      const l2 = labels[bottom + x]!;
      const l3 = labels[bottom + x + 1]!;
      if ((l0 | l1 | l2 | l3) === 0) continue;
      labels[top + x] = labels[top + x + 1] = labels[bottom + x] = labels[bottom + x + 1] = 0;
      const u = layout.uOffset + chroma + (x >> 1);
      const v = layout.vOffset + chroma + (x >> 1);
      if (l0 === l1 && l0 === l2 && l0 === l3) {
        // inside a mask (most blocks): one colour, one alpha; same result as the general case
        const keep = 256 - alpha[l0]!;
        const yc = ya[l0]! + 128;
        frame[top + x] = (frame[top + x]! * keep + yc) >> 8;
        frame[top + x + 1] = (frame[top + x + 1]! * keep + yc) >> 8;
        frame[bottom + x] = (frame[bottom + x]! * keep + yc) >> 8;
        frame[bottom + x + 1] = (frame[bottom + x + 1]! * keep + yc) >> 8;
        frame[u] = (frame[u]! * keep + ua[l0]! + 128) >> 8;
        frame[v] = (frame[v]! * keep + va[l0]! + 128) >> 8;
        continue;
      }
      if (l0) frame[top + x] = (frame[top + x]! * (256 - alpha[l0]!) + ya[l0]! + 128) >> 8;
      if (l1) frame[top + x + 1] = (frame[top + x + 1]! * (256 - alpha[l1]!) + ya[l1]! + 128) >> 8;
      if (l2) frame[bottom + x] = (frame[bottom + x]! * (256 - alpha[l2]!) + ya[l2]! + 128) >> 8;
      if (l3) frame[bottom + x + 1] = (frame[bottom + x + 1]! * (256 - alpha[l3]!) + ya[l3]! + 128) >> 8;
      // the block's chroma: mean alpha of its 4 pixels (sum of 4 × 1/256 steps = 1/1024 steps)
      const keep = 1024 - alpha[l0]! - alpha[l1]! - alpha[l2]! - alpha[l3]!;
      frame[u] = (frame[u]! * keep + ua[l0]! + ua[l1]! + ua[l2]! + ua[l3]! + 512) >> 10;
      frame[v] = (frame[v]! * keep + va[l0]! + va[l1]! + va[l2]! + va[l3]! + 512) >> 10;
    }
  }
}

interface LabelTables {
  alpha: Int32Array;
  y: Int32Array;
  u: Int32Array;
  v: Int32Array;
}

/** One frame, without keeping the blender: for tests and one-off frames. */
export function blendYuv420(frame: Uint8Array, width: number, height: number, layers: readonly BlendLayer[], style: BlendStyle, space: YuvColorSpace): void {
  new YuvBlender(width, height, style, space).blend(frame, layers);
}

/** Calls `span(y, x0, x1)` for each row piece of each foreground run (x1 exclusive). */
export function forEachRowSpan(rle: Rle, span: (y: number, x0: number, x1: number) => void): void {
  const w = rle.w;
  forEachForegroundRun(rle, (start, end) => {
    for (let p = start; p < end;) {
      const y = Math.floor(p / w);
      const rowEnd = Math.min(end, (y + 1) * w);
      span(y, p - y * w, rowEnd - y * w);
      p = rowEnd;
    }
  });
}
