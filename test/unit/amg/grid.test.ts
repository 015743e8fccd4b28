// Point grids and crop boxes against values worked out by hand from sam2/utils/amg.py.
import { describe, expect, test } from 'vitest';
import { buildAllLayerPointGrids, buildPointGrid, generateCropBoxes, gridToCropPixels, linspace, toModelCoord } from '../../../src-main/core/sam2/amg/grid';

describe('point grid', () => {
  test.each([
    { n: 1, want: [[0.5, 0.5]] },
    {
      n: 2,
      want: [
        [0.25, 0.25],
        [0.75, 0.25],
        [0.25, 0.75],
        [0.75, 0.75],
      ],
    },
    { n: 4, want: [0.125, 0.375, 0.625, 0.875].flatMap((y) => [0.125, 0.375, 0.625, 0.875].map((x) => [x, y])) },
  ])('$n per side: cell centres, row by row with x fastest', ({ n, want }) => {
    const g = buildPointGrid(n);
    expect(g.length).toBe(n * n * 2);
    const pts = Array.from({ length: n * n }, (_, i) => [g[2 * i]!, g[2 * i + 1]!]);
    pts.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(want[i]![0]!, 15);
      expect(p[1]).toBeCloseTo(want[i]![1]!, 15);
    });
  });

  test("linspace is numpy's: i·step + start, last value exactly stop", () => {
    const v = linspace(1 / 64, 1 - 1 / 64, 32);
    expect(v[0]).toBe(1 / 64);
    expect(v[31]).toBe(1 - 1 / 64);
    const step = (1 - 1 / 64 - 1 / 64) / 31;
    expect(v[7]).toBe(7 * step + 1 / 64);
    expect(linspace(0.3, 0.3, 3)).toEqual([0.3, 0.3, 0.3]);
    expect(linspace(0, 1, 0)).toEqual([]);
  });

  test('crop layers shrink the points per side by int(n / factor^i)', () => {
    const grids = buildAllLayerPointGrids(32, 2, 3);
    expect(grids.map((g) => Math.sqrt(g.length / 2))).toEqual([32, 10, 3]);
    expect(buildAllLayerPointGrids(16, 1, 1).map((g) => g.length / 2)).toEqual([256, 256]);
  });

  test('grid points in crop pixels are float32 products; model coordinates are fround(fround(x / w) · S)', () => {
    const px = gridToCropPixels(buildPointGrid(3), 321, 181);
    expect(px[0]).toBe(Math.fround((1 / 6) * 321));
    expect(px[1]).toBe(Math.fround((1 / 6) * 181));
    expect(toModelCoord(px[0]!, 321, 1024)).toBe(Math.fround(Math.fround(px[0]! / 321) * 1024));
    expect(toModelCoord(160.5, 321, 256)).toBe(128);
  });
});

describe('crop boxes', () => {
  test('layer 0 is the whole frame', () => {
    expect(generateCropBoxes(540, 960, 0, 512 / 1500)).toEqual({ boxes: [[0, 0, 960, 540]], layerIdx: [0] });
  });

  test('1500×1000, two layers: overlap int(ratio·short·2/n), crop sides ceil((overlap·(n−1) + side)/n), x outer', () => {
    const { boxes, layerIdx } = generateCropBoxes(1000, 1500, 2, 512 / 1500);
    expect(layerIdx).toEqual([0, 1, 1, 1, 1, ...Array(16).fill(2)]);
    // layer 1: overlap int(341.33) = 341, crop 921 × 671, origins 0 and 580 / 0 and 330
    expect(boxes.slice(1, 5)).toEqual([
      [0, 0, 921, 671],
      [0, 330, 921, 1000],
      [580, 0, 1500, 671],
      [580, 330, 1500, 1000],
    ]);
    // layer 2: overlap int(170.67) = 170, crop 503 × 378, origins 0, 333, 666, 999 / 0, 208, 416, 624
    expect(boxes[5]).toEqual([0, 0, 503, 378]);
    expect(boxes[6]).toEqual([0, 208, 503, 586]);
    expect(boxes[9]).toEqual([333, 0, 836, 378]);
    expect(boxes[20]).toEqual([999, 624, 1500, 1000]);
  });

  test('overlap ratio 0 tiles the frame exactly', () => {
    const { boxes } = generateCropBoxes(100, 200, 1, 0);
    expect(boxes.slice(1)).toEqual([
      [0, 0, 100, 50],
      [0, 50, 100, 100],
      [100, 0, 200, 50],
      [100, 50, 200, 100],
    ]);
  });
});
