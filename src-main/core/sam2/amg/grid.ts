// Where the generator clicks: the point grid of each crop layer and the crop boxes, computed as
// sam2/utils/amg.py does (numpy float64 linspace, Python int truncation), so the same settings
// give the same points and crops as the official generator.

/** [x0, y0, x1, y1] in frame pixels, x1/y1 exclusive (a crop of the frame). */
export type CropBox = [number, number, number, number];

/** numpy.linspace(start, stop, num) with endpoint=True, in float64. */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num <= 0) return [];
  if (num === 1) return [start];
  const div = num - 1;
  const step = (stop - start) / div;
  const out = Array.from({ length: num }, (_, i) => (step === 0 ? (i / div) * (stop - start) + start : i * step + start));
  out[num - 1] = stop;
  return out;
}

/**
 * n × n points evenly spaced in [0,1]², centred in their cells, row by row (x varies fastest):
 * a flat [x0, y0, x1, y1, ...] array of n² points.
 */
export function buildPointGrid(n: number): Float64Array {
  const offset = 1 / (2 * n);
  const side = linspace(offset, 1 - offset, n);
  const out = new Float64Array(n * n * 2);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      out[(r * n + c) * 2] = side[c]!;
      out[(r * n + c) * 2 + 1] = side[r]!;
    }
  }
  return out;
}

/** The grid of each crop layer: layer i has int(n / scale^i) points per side. */
export function buildAllLayerPointGrids(n: number, layers: number, scalePerLayer: number): Float64Array[] {
  return Array.from({ length: layers + 1 }, (_, i) => buildPointGrid(Math.trunc(n / scalePerLayer ** i)));
}

/**
 * Crop boxes: the whole frame (layer 0), then for layer i ≥ 1 a 2^i × 2^i tiling whose
 * neighbours overlap by int(ratio · short side · 2 / 2^i) pixels. Crops are listed column by
 * column (x outer, y inner) as itertools.product over (x0s, y0s).
 */
export function generateCropBoxes(height: number, width: number, layers: number, overlapRatio: number): { boxes: CropBox[]; layerIdx: number[] } {
  const boxes: CropBox[] = [[0, 0, width, height]];
  const layerIdx = [0];
  const shortSide = Math.min(height, width);
  const cropLen = (orig: number, n: number, overlap: number) => Math.trunc(Math.ceil((overlap * (n - 1) + orig) / n));
  for (let layer = 0; layer < layers; layer++) {
    const perSide = 2 ** (layer + 1);
    const overlap = Math.trunc(overlapRatio * shortSide * (2 / perSide));
    const cw = cropLen(width, perSide, overlap);
    const ch = cropLen(height, perSide, overlap);
    const xs = Array.from({ length: perSide }, (_, i) => Math.trunc((cw - overlap) * i));
    const ys = Array.from({ length: perSide }, (_, i) => Math.trunc((ch - overlap) * i));
    for (const x0 of xs) {
      for (const y0 of ys) {
        boxes.push([x0, y0, Math.min(x0 + cw, width), Math.min(y0 + ch, height)]);
        layerIdx.push(layer + 1);
      }
    }
  }
  return { boxes, layerIdx };
}

/**
 * A layer grid scaled to a crop's pixels, as float32 (the official code turns the float64
 * product into a float32 tensor): flat [x, y, ...] in crop coordinates.
 */
export function gridToCropPixels(grid: Float64Array, cropW: number, cropH: number): Float32Array {
  const out = new Float32Array(grid.length);
  for (let i = 0; i < grid.length; i += 2) {
    out[i] = grid[i]! * cropW;
    out[i + 1] = grid[i + 1]! * cropH;
  }
  return out;
}

/** Crop pixels → the decoder's S×S input pixels: fround(fround(x / w) · S) (transform_coords). */
export function toModelCoord(v: number, size: number, modelSize: number): number {
  return Math.fround(Math.fround(v / size) * modelSize);
}
