// The per-frame pieces the writers share, on hand-made frames: mask selection and paint order,
// MOTS's overlap-resolved COCO counts, YOLO polygons.
import { describe, expect, it } from 'vitest';
import { encodeMask } from '../../../src-main/core/masks/rle';
import { cocoRleToBitmap } from '../../../src-main/core/masks/coco-rle';
import { polygonArea } from '../../../src-main/core/export/contours';
import { ExportFrame } from '../../../src-main/core/export/export-frame';
import { resolvedCounts } from '../../../src-main/core/export/writers/mots-txt';
import { yoloLines, yoloTolerance } from '../../../src-main/core/export/writers/yolo-txt';
import { blobs, disc, rect } from './mask-shapes';
import { iou, rasterizePolygons } from './polygon-raster';

const W = 40;
const H = 30;
const mask = (objectId: number, bitmap: Uint8Array, score: number) => ({ objectId, rle: encodeMask(bitmap, H, W), score });

describe('ExportFrame', () => {
  it('keeps exported, non-empty masks in paint order: score ascending, then id', () => {
    const f = new ExportFrame(
      3,
      W,
      H,
      [
        mask(5, rect(W, H, 0, 0, 5, 5), 2),
        mask(1, rect(W, H, 0, 0, 5, 5), 2),
        mask(2, new Uint8Array(W * H), 9),
        mask(3, rect(W, H, 0, 0, 5, 5), -1),
        mask(4, rect(W, H, 0, 0, 5, 5), 7),
      ],
      new Set([1, 2, 3, 5]),
    );
    expect(f.masks.map((m) => m.objectId)).toEqual([3, 1, 5]);
    expect(f.byId.map((m) => m.objectId)).toEqual([1, 3, 5]);
    expect(f.labelMap()[0]).toBe(3); // index 2 + 1: object 5 painted last
  });

  it('names frame and object of a mask that does not fit the video', () => {
    expect(() => new ExportFrame(7, W, H, [{ objectId: 2, rle: { w: W, h: H, counts: [5] }, score: 0 }], new Set([2]))).toThrow(/^frame 7, object 2: /);
  });
});

describe('MOTS counts after overlap resolution', () => {
  const cases: [string, Uint8Array[]][] = [
    ['two overlapping', [disc(W, H, 15, 15, 9), rect(W, H, 12, 5, 30, 20)]],
    ['one hidden entirely', [rect(W, H, 10, 10, 14, 14), rect(W, H, 5, 5, 20, 20)]],
    ['full-height columns (runs continue across columns)', [rect(W, H, 3, 0, 8, H), rect(W, H, 8, 0, 9, H)]],
    ['touching the last pixel', [rect(W, H, W - 3, H - 3, W, H), blobs(W, H, 4)]],
    ['three ragged', [blobs(W, H, 1), blobs(W, H, 2), blobs(W, H, 3)]],
  ];
  it.each(cases)('%s: each decodes to the pixels it wins', (_n, bitmaps) => {
    const f = new ExportFrame(
      0,
      W,
      H,
      bitmaps.map((b, i) => mask(i + 1, b, i)),
      new Set(bitmaps.map((_, i) => i + 1)),
    );
    const labels = f.labelMap();
    resolvedCounts(f).forEach((counts, i) => {
      expect(counts.reduce((a, b) => a + b, 0)).toBe(W * H);
      expect(counts.slice(1).every((c) => c > 0)).toBe(true);
      expect(Array.from(cocoRleToBitmap({ size: [H, W], counts }).bitmap)).toEqual(Array.from(labels, (v) => (v === i + 1 ? 1 : 0)));
    });
  });
});

describe('YOLO polygons', () => {
  it.each([
    [25, 0.5],
    [2500, 0.5],
    [10_000, 1],
    [40_000, 2],
    [1e6, 2],
  ])('tolerance for a part of %i px² is %f px', (area, tol) => {
    expect(yoloTolerance(area)).toBe(tol);
  });

  it('polygon area by the shoelace formula', () => {
    expect(polygonArea([0, 0, 4, 0, 4, 3, 0, 3])).toBe(12);
  });

  it.each([
    ['small disc', 96, 64, disc(96, 64, 40, 30, 6)],
    ['blobs', 160, 120, blobs(160, 120, 9)],
    ['a large disc (simplified harder)', 640, 480, disc(640, 480, 320, 240, 200)],
    ['a large ragged shape', 640, 480, blobs(640, 480, 17, 20)],
  ])('%s: one line per part, class first, normalised, IoU ≥ 0.98 when filled back', (_n, w, h, bitmap) => {
    const f = new ExportFrame(0, w, h, [{ objectId: 4, rle: encodeMask(bitmap, h, w), score: 1 }], new Set([4]));
    const lines = yoloLines(f, new Map([[4, 7]]));
    const polys = lines.map((l) => {
      const [cls, ...xy] = l.split(' ').map(Number);
      expect(cls).toBe(7);
      expect(xy.length).toBeGreaterThanOrEqual(6);
      expect(xy.every((v) => v >= 0 && v <= 1)).toBe(true);
      return xy.map((v, i) => v * (i % 2 ? h : w));
    });
    expect(iou(rasterizePolygons(polys, w, h), bitmap)).toBeGreaterThanOrEqual(0.98);
  });

  it('a large disc needs far fewer vertices than its pixel outline', () => {
    const f = new ExportFrame(0, 640, 480, [{ objectId: 1, rle: encodeMask(disc(640, 480, 320, 240, 200), 480, 640), score: 1 }], new Set([1]));
    expect(yoloLines(f, new Map([[1, 0]]))[0]!.split(' ').length).toBeLessThan(200);
  });
});
