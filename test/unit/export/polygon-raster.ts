// Test-side decoder for polygon exports: an even-odd scanline fill sampled at pixel centres,
// written independently of the exporter's contour tracer.

/** Fills the polygons (flat [x0, y0, x1, y1, ...] lists, in pixels) into a w×h 0/1 bitmap. */
export function rasterizePolygons(polys: number[][], w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (const poly of polys) {
    // each polygon is filled on its own (even-odd), then OR-ed in: YOLO lines are separate instances
    const n = poly.length / 2;
    for (let y = 0; y < h; y++) {
      const cy = y + 0.5;
      const inside = new Uint8Array(w);
      const xs: number[] = [];
      for (let i = 0; i < n; i++) {
        const x0 = poly[2 * i]!,
          y0 = poly[2 * i + 1]!;
        const j = (i + 1) % n;
        const x1 = poly[2 * j]!,
          y1 = poly[2 * j + 1]!;
        if ((y0 <= cy && y1 > cy) || (y1 <= cy && y0 > cy)) xs.push(x0 + ((cy - y0) / (y1 - y0)) * (x1 - x0));
      }
      xs.sort((a, b) => a - b);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        for (let x = Math.max(0, Math.ceil(xs[k]! - 0.5)); x < w && x + 0.5 < xs[k + 1]!; x++) inside[x] ^= 1;
      }
      for (let x = 0; x < w; x++) if (inside[x]) out[y * w + x] = 1;
    }
  }
  return out;
}

export function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const p = a[i] !== 0,
      q = b[i] !== 0;
    if (p && q) inter++;
    if (p || q) union++;
  }
  return union === 0 ? 1 : inter / union;
}
