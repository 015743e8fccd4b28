// Greedy box non-maximum suppression with torchvision's CPU semantics (nms_kernel): boxes
// sorted by score, descending and stable (equal scores keep their input order); each kept box
// suppresses every later box whose IoU with it is strictly above the threshold. Box
// arithmetic is float32 as on a float tensor; areas are (x1 − x0)(y1 − y0) without +1. The
// result lists kept indices in the visiting order (descending score), which is also the order
// the official generator leaves its masks in.

const fr = Math.fround;

/** IoU of two XYXY boxes in float32, as the kernel computes it (0/0 gives NaN: never suppresses). */
export function boxIou(a: readonly number[], b: readonly number[]): number {
  const areaA = fr(fr(a[2]! - a[0]!) * fr(a[3]! - a[1]!));
  const areaB = fr(fr(b[2]! - b[0]!) * fr(b[3]! - b[1]!));
  const w = Math.max(0, fr(Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!)));
  const h = Math.max(0, fr(Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!)));
  const inter = fr(w * h);
  return fr(inter / fr(fr(areaA + areaB) - inter));
}

/** Indices of the boxes that survive, highest score first. */
export function nms(boxes: readonly (readonly number[])[], scores: readonly number[], iouThreshold: number): number[] {
  if (boxes.length !== scores.length) throw new Error(`nms: ${boxes.length} boxes but ${scores.length} scores`);
  const order = boxes.map((_, i) => i).sort((i, j) => descending(scores[i]!, scores[j]!));
  const suppressed = new Uint8Array(boxes.length);
  const keep: number[] = [];
  for (let a = 0; a < order.length; a++) {
    const i = order[a]!;
    if (suppressed[i]) continue;
    keep.push(i);
    for (let b = a + 1; b < order.length; b++) {
      const j = order[b]!;
      if (!suppressed[j] && boxIou(boxes[i]!, boxes[j]!) > iouThreshold) suppressed[j] = 1;
    }
  }
  return keep;
}

// torch's descending sort puts NaN first; everything else by value (ties: 0, so the sort is stable)
function descending(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : -1) : 1;
  return y - x;
}
