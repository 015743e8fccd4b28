// Outer outlines of a binary mask as polygons, one per 4-connected component.
// The outline follows pixel edges (vertices on the pixel-corner grid), so the polygon encloses
// exactly the component's pixels: a point-in-polygon test at pixel centres gives the mask back
// (holes excepted: only the outer boundary is traced and holes come back filled).

/** Closed polygon as [x0, y0, x1, y1, ...] in pixel-corner coordinates; the last vertex joins the first. */
export type Polygon = number[];

// Directions, turning right = +1 (clockwise on screen, y down): east, south, west, north.
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];
// Pixel ahead-left / ahead-right of vertex (vx, vy) when facing each direction, as offsets.
const AHEAD_LEFT = [
  [0, -1],
  [0, 0],
  [-1, 0],
  [-1, -1],
] as const;
const AHEAD_RIGHT = [
  [0, 0],
  [-1, 0],
  [-1, -1],
  [0, -1],
] as const;

/**
 * Outer outline of every 4-connected component. `bbox` ([x, y, w, h] of the foreground), when
 * given, limits the search for components to it.
 */
export function traceOuterContours(bitmap: Uint8Array, w: number, h: number, bbox?: readonly number[] | null): Polygon[] {
  if (bitmap.length !== w * h) throw new Error(`bitmap holds ${bitmap.length} pixels, expected ${w}×${h}`);
  const [bx, by, bw, bh] = bbox ?? [0, 0, w, h];
  const seen = new Uint8Array(w * h);
  const stack: number[] = [];
  const out: Polygon[] = [];
  for (let y = by!; y < by! + bh!; y++) {
    for (let p = y * w + bx!, end = p + bw!; p < end; p++) {
      if (bitmap[p] === 0 || seen[p] !== 0) continue;
      // the first unseen pixel in raster order is its component's top-left: its top edge is outer boundary
      markComponent(bitmap, seen, stack, w, h, p);
      out.push(traceFrom(bitmap, w, h, p % w, y));
    }
  }
  return out;
}

function markComponent(bitmap: Uint8Array, seen: Uint8Array, stack: number[], w: number, h: number, start: number): void {
  stack.push(start);
  seen[start] = 1;
  const last = w * (h - 1);
  while (stack.length > 0) {
    const p = stack.pop()!;
    const x = p % w;
    let q = p - 1;
    if (x > 0 && bitmap[q] !== 0 && seen[q] === 0) ((seen[q] = 1), stack.push(q));
    q = p + 1;
    if (x < w - 1 && bitmap[q] !== 0 && seen[q] === 0) ((seen[q] = 1), stack.push(q));
    q = p - w;
    if (p >= w && bitmap[q] !== 0 && seen[q] === 0) ((seen[q] = 1), stack.push(q));
    q = p + w;
    if (p < last && bitmap[q] !== 0 && seen[q] === 0) ((seen[q] = 1), stack.push(q));
  }
}

// Walks the boundary keeping the component on the right. At each corner: if the pixel ahead on
// the right is background the outline turns right; else if the pixel ahead on the left is
// foreground it turns left; else it goes straight. Turning right when only the diagonal pixel is
// set keeps diagonal neighbours out, which is what makes components 4-connected.
function traceFrom(bitmap: Uint8Array, w: number, h: number, sx: number, sy: number): Polygon {
  const on = (x: number, y: number) => x >= 0 && y >= 0 && x < w && y < h && bitmap[y * w + x] !== 0;
  const poly: Polygon = [sx, sy];
  let x = sx;
  let y = sy;
  let d = 0;
  for (;;) {
    x += DX[d]!;
    y += DY[d]!;
    const ar = AHEAD_RIGHT[d]!;
    const al = AHEAD_LEFT[d]!;
    let next = d;
    if (!on(x + ar[0], y + ar[1])) next = (d + 1) & 3;
    else if (on(x + al[0], y + al[1])) next = (d + 3) & 3;
    if (x === sx && y === sy && next === 0) return poly;
    if (next !== d) poly.push(x, y);
    d = next;
  }
}

/** Enclosed area (shoelace), in square pixels. */
export function polygonArea(poly: Polygon): number {
  let a = 0;
  const n = poly.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) a += poly[2 * j]! * poly[2 * i + 1]! - poly[2 * i]! * poly[2 * j + 1]!;
  return Math.abs(a) / 2;
}

/**
 * Douglas–Peucker on a closed polygon: drops vertices closer than `tolerance` pixels to the
 * simplified outline. Keeps at least 3 vertices (returns the input when it cannot).
 */
export function simplifyClosed(poly: Polygon, tolerance: number): Polygon {
  const n = poly.length / 2;
  if (n <= 3 || tolerance <= 0) return poly;
  // anchor the ring at vertex 0 and the vertex farthest from it, then simplify both halves
  let far = 0;
  let best = -1;
  for (let i = 1; i < n; i++) {
    const dx = poly[2 * i]! - poly[0]!;
    const dy = poly[2 * i + 1]! - poly[1]!;
    const d = dx * dx + dy * dy;
    if (d > best) {
      best = d;
      far = i;
    }
  }
  const keep = new Uint8Array(n + 1);
  keep[0] = keep[far] = keep[n] = 1;
  const at = (i: number) => (i === n ? 0 : i);
  const tol2 = tolerance * tolerance;
  const spans: [number, number][] = [
    [0, far],
    [far, n],
  ];
  while (spans.length) {
    const [a, b] = spans.pop()!;
    const ax = poly[2 * at(a)]!,
      ay = poly[2 * at(a) + 1]!;
    const bx = poly[2 * at(b)]!,
      by = poly[2 * at(b) + 1]!;
    let worst = -1;
    let worstD = tol2;
    for (let i = a + 1; i < b; i++) {
      const d = segmentDistance2(poly[2 * i]!, poly[2 * i + 1]!, ax, ay, bx, by);
      if (d > worstD) {
        worstD = d;
        worst = i;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      spans.push([a, worst], [worst, b]);
    }
  }
  const out: Polygon = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(poly[2 * i]!, poly[2 * i + 1]!);
  return out.length >= 6 ? out : poly;
}

function segmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  const ex = ax + t * dx - px;
  const ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}
