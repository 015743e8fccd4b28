// Rasterising hand edits and polygon annotations onto a 0/1 mask at video resolution. Pure.
// A pixel belongs to a shape when its centre (x + 0.5, y + 0.5) does: the same rule the YOLO
// and COCO polygon exports are written for, so their outlines fill back onto the same pixels.
//
// Brush strokes are capsules: every pixel whose centre lies within `radius` of the segment
// between two successive pointer positions, so a fast stroke has no gaps however far apart the
// pointer events are. Polygons are filled with a scanline at pixel centres, even-odd by default
// (a self-intersecting outline leaves its doubly covered parts empty) or non-zero winding.

export interface MaskTarget {
  mask: Uint8Array;
  width: number;
  height: number;
}

export type FillRule = 'even-odd' | 'non-zero';

/** Paints `value` into every pixel whose centre is within `radius` of the segment (x0,y0)–(x1,y1). */
export function paintSegment(t: MaskTarget, x0: number, y0: number, x1: number, y1: number, radius: number, value: 0 | 1): void {
  const { mask, width, height } = t;
  const r = Math.max(0, radius);
  const minY = Math.max(0, Math.floor(Math.min(y0, y1) - r - 0.5));
  const maxY = Math.min(height - 1, Math.ceil(Math.max(y0, y1) + r - 0.5));
  const minX = Math.max(0, Math.floor(Math.min(x0, x1) - r - 0.5));
  const maxX = Math.min(width - 1, Math.ceil(Math.max(x0, x1) + r - 0.5));
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len2 = dx * dx + dy * dy;
  const r2 = r * r;
  for (let y = minY; y <= maxY; y++) {
    const py = y + 0.5;
    for (let x = minX; x <= maxX; x++) {
      const px = x + 0.5;
      // closest point of the segment to the pixel centre
      const s = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / len2));
      const ex = px - (x0 + s * dx);
      const ey = py - (y0 + s * dy);
      if (ex * ex + ey * ey <= r2) mask[y * width + x] = value;
    }
  }
}

/**
 * A stroke through `points` (video pixels) of brush diameter `size`: value 1 paints (brush),
 * 0 erases (eraser). One point is a dot.
 */
export function paintStroke(t: MaskTarget, points: readonly (readonly [number, number])[], size: number, value: 0 | 1): void {
  if (points.length === 0) return;
  const r = size / 2;
  if (points.length === 1) {
    const [x, y] = points[0]!;
    paintSegment(t, x, y, x, y, r, value);
    return;
  }
  for (let i = 1; i < points.length; i++) {
    const [xa, ya] = points[i - 1]!;
    const [xb, yb] = points[i]!;
    paintSegment(t, xa, ya, xb, yb, r, value);
  }
}

/**
 * Fills a closed polygon given as flat [x0, y0, x1, y1, ...] in pixels with `value`. Pixel
 * centres inside by the fill rule are set; fewer than 3 vertices fill nothing.
 */
export function fillPolygon(t: MaskTarget, poly: readonly number[], value: 0 | 1, rule: FillRule = 'even-odd'): void {
  const { mask, width, height } = t;
  const n = Math.floor(poly.length / 2);
  if (n < 3) return;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minY = Math.min(minY, poly[2 * i + 1]!);
    maxY = Math.max(maxY, poly[2 * i + 1]!);
  }
  const y0 = Math.max(0, Math.ceil(minY - 0.5));
  const y1 = Math.min(height - 1, Math.floor(maxY - 0.5));
  const hits: { x: number; dir: number }[] = [];
  for (let y = y0; y <= y1; y++) {
    const cy = y + 0.5;
    hits.length = 0;
    for (let i = 0; i < n; i++) {
      const ax = poly[2 * i]!,
        ay = poly[2 * i + 1]!;
      const j = (i + 1) % n;
      const bx = poly[2 * j]!,
        by = poly[2 * j + 1]!;
      // half-open rule: an edge counts when the scanline is in [low y, high y)
      if ((ay <= cy && by > cy) || (by <= cy && ay > cy)) hits.push({ x: ax + ((cy - ay) / (by - ay)) * (bx - ax), dir: by > ay ? 1 : -1 });
    }
    hits.sort((a, b) => a.x - b.x);
    let winding = 0;
    for (let k = 0; k + 1 < hits.length; k++) {
      winding = rule === 'even-odd' ? winding ^ 1 : winding + hits[k]!.dir;
      if (winding === 0) continue;
      // pixels whose centre lies in [hits[k].x, hits[k + 1].x)
      const xa = Math.max(0, Math.ceil(hits[k]!.x - 0.5));
      const xb = Math.min(width - 1, Math.ceil(hits[k + 1]!.x - 0.5) - 1);
      if (xa <= xb) mask.fill(value, y * width + xa, y * width + xb + 1);
    }
  }
}
