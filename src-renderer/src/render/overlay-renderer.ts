// Draws mask overlays: each object's RLE becomes an RGBA bitmap once per (mask, style) —
// pure conversion in lib/mask-raster — kept in an LRU sized by memory, then drawn with the
// same view transform as the frame. Scrubbing back over frames or changing the view
// costs only drawImage calls; changing colour/opacity/outline re-rasterises what is drawn.
import type { ObjectMask } from '$api/contract';
import { Lru } from '../lib/lru';
import { paintMask, rleToMask, styleKey, type PaintStyle } from '../lib/mask-raster';
import type { Size, View } from '../lib/view-transform';

/** RGBA bytes the cache may hold (bitmaps are video-sized: 8 MiB each at 1080p). */
const BUDGET_BYTES = 256 * 1024 * 1024;

export interface OverlayItem {
  mask: ObjectMask;
  style: PaintStyle;
}

export class OverlayRenderer {
  #cache: Lru<string, OffscreenCanvas>;
  /** identity of each RLE object: a new mask for a frame is a new object, so stale bitmaps never match */
  #ids = new WeakMap<object, number>();
  #seq = 0;
  #maskBuf: Uint8Array | null = null;

  #budget: number;
  #pixels = 0;

  constructor(budgetBytes = BUDGET_BYTES) {
    this.#cache = new Lru(16);
    this.#budget = budgetBytes;
  }

  /** Video size: sets how many bitmaps fit the budget. */
  setSize(width: number, height: number): void {
    const px = width * height;
    if (px === this.#pixels) return;
    this.#pixels = px;
    this.#cache.clear();
    this.#cache.resize(Math.max(4, Math.floor(this.#budget / Math.max(1, px * 4))));
  }

  /**
   * Draw `items` onto `ctx`, whose canvas is the viewport at `dpr`. Returns how many
   * objects were drawn (e2e tests and the status line read it).
   */
  draw(ctx: CanvasRenderingContext2D, items: readonly OverlayItem[], view: View, dpr: number, image: Size): number {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    if (!items.length) return 0;
    ctx.setTransform(dpr * view.scale, 0, 0, dpr * view.scale, dpr * view.tx, dpr * view.ty);
    // masks are pixel-exact: no smoothing when a pixel is larger than a screen pixel
    ctx.imageSmoothingEnabled = view.scale < 1;
    let drawn = 0;
    for (const it of items) {
      const bmp = this.#bitmap(it);
      if (!bmp) continue;
      // masks are stored at video size; stretching covers any that are not (e.g. a rotated source)
      ctx.drawImage(bmp, 0, 0, image.width, image.height);
      drawn++;
    }
    return drawn;
  }

  clear(): void {
    this.#cache.clear();
  }

  #bitmap(it: OverlayItem): OffscreenCanvas | null {
    const rle = it.mask.rle;
    let id = this.#ids.get(rle);
    if (id === undefined) this.#ids.set(rle, (id = ++this.#seq));
    const key = `${id}|${styleKey(it.style)}`;
    const hit = this.#cache.get(key);
    if (hit) return hit;
    const { w, h } = rle;
    const n = w * h;
    if (!this.#maskBuf || this.#maskBuf.length !== n) this.#maskBuf = new Uint8Array(n);
    let mask: Uint8Array;
    try {
      mask = rleToMask(rle, this.#maskBuf);
    } catch (err) {
      // a malformed mask from the services is drawn as nothing, never as garbage
      console.error(`object ${it.mask.objectId}: cannot draw its mask`, err);
      return null;
    }
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    const rgba = paintMask(mask, w, h, it.style);
    ctx.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, w, h), 0, 0);
    this.#cache.set(key, canvas);
    return canvas;
  }
}
