// 8-connected components of a binary map (neighbours include diagonals, as the official
// predictor's connected-components kernel and cv2's connectivity 8). Shared by hole filling
// in tracking and by the automatic mask generator's small-region clean-ups.
//
// Labelled by runs rather than pixel by pixel: each row's runs of `on` pixels are joined to the
// runs of the row above that touch them (overlapping or diagonally adjacent) with a union-find,
// then numbered. A mask is a few runs per row, so this is far less work than a flood fill visiting
// every pixel's eight neighbours (it runs for every object on every tracked frame: hole filling).

/** Labels 1..n per pixel (0 outside `on`), numbered in raster order of each component's first pixel, and each component's size. */
export function labelComponents(on: Uint8Array, h: number, w: number): { labels: Int32Array; sizes: number[] } {
  const n = h * w;
  if (on.length !== n) throw new Error(`labelComponents: ${on.length} pixels for ${h}x${w}`);
  const runs = findRuns(on, h, w);
  const { count, x0, x1, rowStart } = runs;
  const parent = new Int32Array(count);
  for (let i = 0; i < count; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  for (let y = 1; y < h; y++) {
    // runs [a, b) above and [s, e) here touch (8-connected) when a <= e and s <= b
    let j = rowStart[y - 1]!;
    const jEnd = rowStart[y]!;
    for (let c = rowStart[y]!; c < rowStart[y + 1]!; c++) {
      while (j < jEnd && x1[j]! < x0[c]!) j++;
      for (let k = j; k < jEnd && x0[k]! <= x1[c]!; k++) {
        const a = find(c);
        const b = find(k);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  }
  // a component's first pixel in raster order is in its first run in run order
  const labels = new Int32Array(n);
  const id = new Int32Array(count);
  const sizes: number[] = [0];
  for (let y = 0; y < h; y++) {
    for (let r = rowStart[y]!; r < rowStart[y + 1]!; r++) {
      const root = find(r);
      if (id[root] === 0) {
        id[root] = sizes.length;
        sizes.push(0);
      }
      const l = id[root]!;
      sizes[l]! += x1[r]! - x0[r]!;
      // a loop, not labels.fill: most runs are short, and a builtin call per run cost more
      for (let i = y * w + x0[r]!, end = y * w + x1[r]!; i < end; i++) labels[i] = l;
    }
  }
  return { labels, sizes };
}

/** Runs of `on` pixels per row: [x0, x1) each, rows' runs from rowStart[y] to rowStart[y + 1]. */
function findRuns(on: Uint8Array, h: number, w: number): { count: number; x0: Int32Array; x1: Int32Array; rowStart: Int32Array } {
  let count = 0;
  for (let y = 0; y < h; y++) {
    const base = y * w;
    for (let x = 0; x < w; x++) if (on[base + x] && (x === 0 || !on[base + x - 1])) count++;
  }
  const x0 = new Int32Array(count);
  const x1 = new Int32Array(count);
  const rowStart = new Int32Array(h + 1);
  let r = 0;
  for (let y = 0; y < h; y++) {
    rowStart[y] = r;
    const base = y * w;
    let x = 0;
    while (x < w) {
      if (!on[base + x]) {
        x++;
        continue;
      }
      x0[r] = x;
      while (x < w && on[base + x]) x++;
      x1[r++] = x;
    }
  }
  rowStart[h] = r;
  return { count, x0, x1, rowStart };
}
