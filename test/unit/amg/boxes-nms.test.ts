// Mask-to-box, the crop-edge filter and box NMS (torchvision semantics) on hand-made cases.
import { describe, expect, test } from 'vitest';
import { boxXyxyToXywh, cropArea, isBoxNearCropEdge, maskToBox } from '../../../src-main/core/sam2/amg/boxes';
import { boxIou, nms } from '../../../src-main/core/sam2/amg/nms';

function mask(rows: string[]): { m: Uint8Array; h: number; w: number } {
  const h = rows.length;
  const w = rows[0]!.length;
  return { m: Uint8Array.from(rows.join(''), (c) => (c === '#' ? 1 : 0)), h, w };
}

describe('mask to box', () => {
  test.each([
    { rows: ['.....', '.##..', '..#..', '.....'], want: [1, 1, 2, 2] },
    { rows: ['#....', '.....', '....#'], want: [0, 0, 4, 2] },
    { rows: ['.....', '...#.', '.....'], want: [3, 1, 3, 1] },
    { rows: ['..#..', '#....', '...#.'], want: [0, 0, 3, 2] },
    { rows: ['.....', '.....'], want: [0, 0, 0, 0] },
  ])('$rows → $want (right/bottom inclusive; empty → zeros)', ({ rows, want }) => {
    const { m, h, w } = mask(rows);
    expect(maskToBox(m, h, w)).toEqual(want);
  });

  test('XYWH as the official records: width = x1 − x0 (a one-pixel mask is 0 wide)', () => {
    expect(boxXyxyToXywh([3, 1, 3, 1])).toEqual([3, 1, 0, 0]);
    expect(boxXyxyToXywh([10, 20, 15, 40])).toEqual([10, 20, 5, 20]);
    expect(cropArea([10, 20, 15, 40])).toBe(100);
  });
});

describe('crop edge filter', () => {
  const frame: [number, number, number, number] = [0, 0, 1000, 600];
  const crop: [number, number, number, number] = [400, 0, 1000, 350];
  test.each([
    { name: 'box well inside the crop', box: [100, 100, 300, 200], near: false },
    { name: "touches the crop's left edge (inside the frame)", box: [0, 100, 300, 200], near: true },
    { name: "20 px from the crop's left edge is still near (atol 20, inclusive)", box: [20, 100, 300, 200], near: true },
    { name: '21 px away is not', box: [21, 100, 300, 200], near: false },
    { name: 'touches the crop top, which is also the frame top', box: [100, 0, 300, 200], near: false },
    { name: 'reaches the crop bottom (349 vs 350, inside the frame)', box: [100, 100, 300, 349], near: true },
    { name: 'reaches the crop right edge, which is the frame edge', box: [100, 100, 599, 200], near: false },
  ])('$name', ({ box, near }) => {
    expect(isBoxNearCropEdge(box as [number, number, number, number], crop, frame)).toBe(near);
  });

  test('the whole-frame crop never cuts a mask', () => {
    expect(isBoxNearCropEdge([0, 0, 999, 599], frame, frame)).toBe(false);
    expect(isBoxNearCropEdge([0, 0, 0, 0], frame, frame)).toBe(false);
  });
});

describe('box NMS', () => {
  test('IoU without +1: areas (x1 − x0)(y1 − y0), float32', () => {
    expect(boxIou([0, 0, 10, 10], [5, 0, 15, 10])).toBe(Math.fround(50 / 150));
    expect(boxIou([0, 0, 10, 10], [20, 20, 30, 30])).toBe(0);
    expect(boxIou([3, 3, 3, 3], [3, 3, 3, 3])).toBeNaN();
  });

  test('highest score first; a kept box suppresses later ones above the threshold, greedily', () => {
    const boxes = [
      [0, 0, 10, 10], // 0
      [1, 0, 11, 10], // 1: IoU with 0 = 90/110 = 0.82
      [2, 0, 12, 10], // 2: IoU with 1 = 0.82, with 0 = 80/120 = 0.67
      [50, 50, 60, 60], // 3
    ];
    // 1 wins, suppresses 0 and 2; 3 is apart
    expect(nms(boxes, [0.8, 0.9, 0.7, 0.5], 0.7)).toEqual([1, 3]);
    // 0 wins, suppresses 1 (0.82) but not 2 (0.67), which survives although 1 overlapped it
    expect(nms(boxes, [0.9, 0.8, 0.7, 0.95], 0.7)).toEqual([3, 0, 2]);
  });

  test('IoU equal to the threshold does not suppress (strictly greater)', () => {
    // IoU = 70 / 100 = 0.7 → float32 0.69999999 < 0.7
    const boxes = [
      [0, 0, 10, 10],
      [0, 0, 10, 7],
    ];
    expect(nms(boxes, [1, 0.5], 0.7)).toEqual([0, 1]);
    expect(nms(boxes, [1, 0.5], 0.69)).toEqual([0]);
  });

  test("equal scores keep input order (stable sort), as torchvision's kernel", () => {
    const boxes = [
      [0, 0, 10, 10],
      [0, 0, 10, 10],
      [0, 0, 10, 10],
    ];
    expect(nms(boxes, [0.5, 0.5, 0.5], 0.7)).toEqual([0]);
    expect(
      nms(
        [
          [0, 0, 1, 1],
          [5, 5, 6, 6],
          [9, 9, 10, 10],
        ],
        [0.5, 0.5, 0.5],
        0.7,
      ),
    ).toEqual([0, 1, 2]);
  });

  test('degenerate boxes (one pixel: zero area) never suppress or get suppressed', () => {
    expect(
      nms(
        [
          [3, 3, 3, 3],
          [3, 3, 3, 3],
        ],
        [1, 0.5],
        0.1,
      ),
    ).toEqual([0, 1]);
  });

  test('mismatched inputs are refused', () => {
    expect(() => nms([[0, 0, 1, 1]], [1, 2], 0.5)).toThrow(/1 boxes but 2 scores/);
  });
});
