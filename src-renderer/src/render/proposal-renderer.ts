// Draws Segment everything's proposals over the frame: a base layer (every proposal, kept ones
// filled) painted once per change of proposals / kept set / view mode, and a hover layer with
// the one proposal under the pointer, so moving the pointer repaints one mask, not all of them.
// Both are video-sized bitmaps drawn with the frame's view transform, like the mask overlays.
import type { Rle } from '$api/contract';
import { outlinePixels, paintLayer, type PaintItem } from '../lib/proposal-paint';
import type { Size, View } from '../lib/view-transform';

export class ProposalRenderer {
  #outlines = new WeakMap<Rle, Int32Array>();
  #base: OffscreenCanvas | null = null;
  #hover: OffscreenCanvas | null = null;
  #buf: Uint8ClampedArray<ArrayBuffer> | null = null;

  /** Boundary pixels of a mask, computed once per mask object. */
  outline = (rle: Rle): Int32Array => {
    let o = this.#outlines.get(rle);
    if (!o) this.#outlines.set(rle, (o = outlinePixels(rle)));
    return o;
  };

  setBase(items: readonly PaintItem[], size: Size): void {
    this.#base = items.length ? this.#paint(this.#base, items, size) : null;
  }

  setHover(item: PaintItem | null, size: Size): void {
    this.#hover = item ? this.#paint(this.#hover, [item], size) : null;
  }

  /** Draws both layers onto `ctx` (the viewport canvas at `dpr`). */
  draw(ctx: CanvasRenderingContext2D, view: View, dpr: number, image: Size): void {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    if (!this.#base && !this.#hover) return;
    ctx.setTransform(dpr * view.scale, 0, 0, dpr * view.scale, dpr * view.tx, dpr * view.ty);
    // outlines are one video pixel wide: smoothing would blur them away when zoomed in
    ctx.imageSmoothingEnabled = view.scale < 1;
    if (this.#base) ctx.drawImage(this.#base, 0, 0, image.width, image.height);
    if (this.#hover) ctx.drawImage(this.#hover, 0, 0, image.width, image.height);
  }

  #paint(canvas: OffscreenCanvas | null, items: readonly PaintItem[], size: Size): OffscreenCanvas | null {
    const { width: w, height: h } = size;
    if (!(w > 0 && h > 0)) return null;
    if (!this.#buf || this.#buf.length !== w * h * 4) this.#buf = new Uint8ClampedArray(w * h * 4);
    try {
      paintLayer(this.#buf, w, h, items);
    } catch (err) {
      // proposals of another size (a stale list) are drawn as nothing, never as garbage
      console.error('cannot draw the proposals', err);
      return null;
    }
    const c = canvas && canvas.width === w && canvas.height === h ? canvas : new OffscreenCanvas(w, h);
    c.getContext('2d')!.putImageData(new ImageData(this.#buf, w, h), 0, 0);
    return c;
  }
}
