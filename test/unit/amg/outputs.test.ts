// What the app and the CLI get from the records: proposals sorted by area, proposals.json
// entries with COCO RLE, the non-overlapping label view, SAM 1's small-region post-processing,
// and the options' official defaults.
import { describe, expect, test } from 'vitest';
import { cocoRleToBitmap } from '../../../src-main/core/masks/coco-rle';
import { decodeMask, encodeMask, type Rle } from '../../../src-main/core/masks/rle';
import type { Candidate } from '../../../src-main/core/sam2/amg/batch';
import type { AmgMask } from '../../../src-main/core/sam2/amg/generator';
import { labelView, labelViewMasks } from '../../../src-main/shared/label-view';
import { AMG_DEFAULTS, resolveAmgOptions } from '../../../src-main/core/sam2/amg/options';
import { postprocessSmallRegions } from '../../../src-main/core/sam2/amg/postprocess';
import { proposalFileName, sortByArea, toProposalJson, toProposals } from '../../../src-main/core/sam2/amg/proposals';

function rle(rows: string[]): Rle {
  return encodeMask(
    Uint8Array.from(rows.join(''), (c) => (c === '#' ? 1 : 0)),
    rows.length,
    rows[0]!.length,
  );
}
function rows(r: Rle): string[] {
  const m = decodeMask(r);
  return Array.from({ length: r.h }, (_, y) => Array.from({ length: r.w }, (_, x) => (m[y * r.w + x] ? '#' : '.')).join(''));
}
function record(seg: Rle, over: Partial<AmgMask> = {}): AmgMask {
  const area = decodeMask(seg).reduce((s, v) => s + v, 0);
  return {
    segmentation: seg,
    area,
    bbox: [0, 0, 0, 0],
    predictedIou: 0.9,
    pointCoords: [[1, 1]],
    stabilityScore: 0.97,
    cropBox: [0, 0, seg.w, seg.h],
    ...over,
  };
}

describe('proposals', () => {
  const small = record(rle(['#...', '....', '....']), { predictedIou: 0.95 });
  const big = record(rle(['.###', '.###', '....']), { predictedIou: 0.85 });
  const mid = record(rle(['....', '....', '.##.']), { predictedIou: 0.9 });
  const mid2 = record(rle(['....', '....', '##..']), { predictedIou: 0.99 });

  test('sorted by area, largest first (small masks end on top); equal areas keep the generator order; ids follow', () => {
    expect(sortByArea([small, big, mid, mid2])).toEqual([big, mid, mid2, small]);
    const p = toProposals([small, big, mid, mid2]);
    expect(p.map((x) => [x.id, x.area, x.predictedIou])).toEqual([
      [0, 6, 0.85],
      [1, 2, 0.9],
      [2, 2, 0.99],
      [3, 1, 0.95],
    ]);
    expect(p[0]).toMatchObject({ rle: big.segmentation, bbox: big.bbox, stabilityScore: 0.97, pointCoords: [[1, 1]], cropBox: [0, 0, 4, 3] });
  });

  test('proposals.json entries: the official keys, COCO RLE that decodes to the same mask, NaN stability as null', () => {
    const j = toProposalJson(big, 7);
    expect(Object.keys(j)).toEqual(['id', 'file', 'segmentation', 'area', 'bbox', 'predicted_iou', 'point_coords', 'stability_score', 'crop_box']);
    expect(j.file).toBe('007.png');
    expect(j.segmentation.size).toEqual([3, 4]);
    expect(typeof j.segmentation.counts).toBe('string');
    const back = cocoRleToBitmap(j.segmentation);
    expect(Array.from(back.bitmap)).toEqual(Array.from(decodeMask(big.segmentation)));
    expect(toProposalJson(record(rle(['....']), { stabilityScore: Number.NaN }), 0).stability_score).toBeNull();
    expect(proposalFileName(1234)).toBe('1234.png');
  });
});

describe('label view', () => {
  const a = record(rle(['###.', '###.', '....']));
  const b = record(rle(['.###', '.###', '.###']));
  const c = record(rle(['....', '....', '##..']));

  test('each pixel goes to the highest-scoring mask over it; 0 where none', () => {
    expect(Array.from(labelView([a, b, c], [0.9, 0.8, 0.7], 3, 4))).toEqual([1, 1, 1, 2, 1, 1, 1, 2, 3, 2, 2, 2]);
    expect(Array.from(labelView([a, b, c], [0.7, 0.8, 0.9], 3, 4))).toEqual([1, 2, 2, 2, 1, 2, 2, 2, 3, 3, 2, 2]);
  });

  test('equal scores: the earlier proposal wins; NaN scores lose', () => {
    expect(Array.from(labelView([a, b], [0.5, 0.5], 3, 4)).slice(0, 4)).toEqual([1, 1, 1, 2]);
    expect(Array.from(labelView([a, b], [Number.NaN, 0.1], 3, 4)).slice(0, 4)).toEqual([1, 2, 2, 2]);
  });

  test('visible parts as RLE: disjoint, and together they cover exactly the union', () => {
    const labels = labelView([a, b, c], [0.7, 0.8, 0.9], 3, 4);
    const parts = labelViewMasks(labels, 3, 3, 4);
    expect(parts.map(rows)).toEqual([
      ['#...', '#...', '....'],
      ['.###', '.###', '..##'],
      ['....', '....', '##..'],
    ]);
    expect(labelViewMasks(labelView([a], [1], 3, 4), 2, 3, 4)[1]).toEqual({ h: 3, w: 4, counts: [12] });
  });

  test('a mask of another size is refused', () => {
    expect(() => labelView([record(rle(['##']))], [1], 3, 4)).toThrow(/mask 0 is 2x1, the view is 4x3/);
  });
});

describe('postprocessSmallRegions (SAM 1 step)', () => {
  const cand = (r: Rle, iou: number): Candidate => ({
    rle: r,
    box: [0, 0, 0, 0],
    predictedIou: iou,
    stabilityScore: 1,
    point: [0, 0],
    cropBox: [0, 0, r.w, r.h],
  });

  test('holes and islands under the area are removed; boxes follow; the unchanged duplicate wins NMS', () => {
    const withHole = cand(rle(['#####.', '##.##.', '#####.', '......', '.....#']), 0.99);
    const clean = cand(rle(['#####.', '#####.', '#####.', '......', '......']), 0.5);
    const other = cand(rle(['......', '......', '......', '...###', '...###']), 0.7);
    const out = postprocessSmallRegions([withHole, clean, other], 2, 0.7);
    // withHole becomes identical to clean after clean-up, but clean needed none: clean wins
    expect(out.map((c) => c.predictedIou)).toEqual([0.5, 0.7]);
    expect(out[1]).toBe(other);
    const fixed = postprocessSmallRegions([withHole], 2, 0.7)[0]!;
    expect(rows(fixed.rle)).toEqual(['#####.', '#####.', '#####.', '......', '......']);
    expect(fixed.box).toEqual([0, 0, 4, 2]);
    expect(postprocessSmallRegions([], 5, 0.7)).toEqual([]);
  });
});

describe('options', () => {
  test("defaults are the official SAM2AutomaticMaskGenerator's", () => {
    expect(resolveAmgOptions()).toEqual({
      pointsPerSide: 32,
      pointsPerBatch: 64,
      predIouThresh: 0.8,
      stabilityScoreThresh: 0.95,
      stabilityScoreOffset: 1,
      maskThreshold: 0,
      boxNmsThresh: 0.7,
      cropNLayers: 0,
      cropNmsThresh: 0.7,
      cropOverlapRatio: 512 / 1500,
      cropNPointsDownscaleFactor: 1,
      minMaskRegionArea: 0,
      postprocessMinArea: 0,
      useM2m: false,
      multimaskOutput: true,
    });
    expect(Object.isFrozen(AMG_DEFAULTS)).toBe(true);
  });

  test("the API request's knobs are option names (frame aside)", () => {
    expect(resolveAmgOptions({ pointsPerSide: 16, predIouThresh: 0.5, useM2m: true, minMaskRegionArea: 25 })).toMatchObject({
      pointsPerSide: 16,
      predIouThresh: 0.5,
      useM2m: true,
      minMaskRegionArea: 25,
    });
  });
});
