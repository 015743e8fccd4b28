// One frame's exported masks, checked once and shared by every writer, with the decoded forms
// (bitmap, box, label map) computed on first use so no format pays for another's needs.
import { decodeMask, rleArea, rleBbox, type Bbox } from '../masks/rle';
import { checkRle, paintRle } from './rle-paint';
import type { ExportMask } from './types';

/**
 * Where masks overlap, the one painted last wins (palette, MOTS, overlay): higher object score
 * last, ties broken by higher object id, so the model's most confident object is on top.
 */
export function paintOrder(a: ExportMask, b: ExportMask): number {
  return a.score - b.score || a.objectId - b.objectId;
}

export class ExportFrame {
  /** non-empty masks of the exported objects, in paint order */
  readonly masks: ExportMask[];
  /** the same masks by ascending object id: the order entries are listed in files */
  readonly byId: ExportMask[];
  private readonly bitmaps = new Map<number, Uint8Array>();
  private readonly boxes = new Map<number, Bbox | null>();
  private labels: Uint16Array | null = null;

  constructor(
    readonly frame: number,
    readonly width: number,
    readonly height: number,
    stored: readonly ExportMask[],
    exported: ReadonlySet<number>,
  ) {
    const masks: ExportMask[] = [];
    for (const m of stored) {
      if (!exported.has(m.objectId)) continue;
      checkRle(m.rle, width, height, `frame ${frame}, object ${m.objectId}`);
      if (rleArea(m.rle) > 0) masks.push(m);
    }
    this.masks = masks.sort(paintOrder);
    this.byId = [...masks].sort((a, b) => a.objectId - b.objectId);
  }

  bitmap(m: ExportMask): Uint8Array {
    let b = this.bitmaps.get(m.objectId);
    if (!b) this.bitmaps.set(m.objectId, (b = decodeMask(m.rle)));
    return b;
  }

  /** [x, y, w, h] of the foreground */
  box(m: ExportMask): Bbox | null {
    if (!this.boxes.has(m.objectId)) this.boxes.set(m.objectId, rleBbox(m.rle));
    return this.boxes.get(m.objectId)!;
  }

  /** Overlaps resolved: pixel = 1 + index into `masks` of the mask that wins it, 0 = background. */
  labelMap(): Uint16Array {
    if (!this.labels) {
      this.labels = new Uint16Array(this.width * this.height);
      this.masks.forEach((m, i) => paintRle(m.rle, this.labels!, i + 1));
    }
    return this.labels;
  }
}
