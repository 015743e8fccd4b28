// 8-connected components of a binary map (neighbours include diagonals, as the official
// predictor's connected-components kernel and cv2's connectivity 8). Shared by hole filling
// in tracking and by the automatic mask generator's small-region clean-ups.

/** Labels 1..n per pixel (0 outside `on`), numbered in raster order of each component's first pixel, and each component's size. */
export function labelComponents(on: Uint8Array, h: number, w: number): { labels: Int32Array; sizes: number[] } {
  const n = h * w;
  if (on.length !== n) throw new Error(`labelComponents: ${on.length} pixels for ${h}x${w}`);
  const labels = new Int32Array(n);
  const stack = new Int32Array(n);
  const sizes: number[] = [0];
  let next = 1;
  for (let start = 0; start < n; start++) {
    if (!on[start] || labels[start]) continue;
    const id = next++;
    let top = 0;
    let size = 0;
    stack[top++] = start;
    labels[start] = id;
    while (top > 0) {
      const p = stack[--top]!;
      size++;
      const y = (p / w) | 0;
      const x = p - y * w;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const q = yy * w + xx;
          if (on[q] && !labels[q]) {
            labels[q] = id;
            stack[top++] = q;
          }
        }
      }
    }
    sizes.push(size);
  }
  return { labels, sizes };
}
