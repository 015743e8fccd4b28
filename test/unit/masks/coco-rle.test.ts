import { describe, expect, it } from 'vitest';
import { cocoRleToBitmap, columnMajorCounts, decodeCocoCounts, encodeCocoCounts } from '../../../src-main/core/masks/coco-rle';
import { columnMajor, naiveRuns } from './reference-runs';
import { encodeMask, rleBbox } from '../../../src-main/core/masks/rle';
import { blobs, rect } from '../export/mask-shapes';

function counts(bitmap: Uint8Array, w: number, h: number): number[] {
  return columnMajorCounts(bitmap, w, h, rleBbox(encodeMask(bitmap, h, w)));
}

describe('COCO compressed RLE (pycocotools rleToString / rleFrString)', () => {
  // Hand-derived. Mask h=3, w=4, rows: 0110 / 0110 / 0011.
  // Column-major walk: col0 000, col1 110, col2 111, col3 001 → 000 11 0 111 00 1
  // counts = [3, 2, 1, 3, 2, 1].
  // Chars (48 + 5-bit group; from the 4th count on, the delta to the count two back):
  //   3 → '3', 2 → '2', 1 → '1', 3-2=1 → '1', 2-1=1 → '1',
  //   1-3=-2 → low 5 bits 11110 = 30, rest -1, sign bit set → stop → 48+30 = 'N'.
  it('encodes a handcrafted mask to the string derived by hand', () => {
    const bitmap = Uint8Array.from([0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1]);
    expect(counts(bitmap, 4, 3)).toEqual([3, 2, 1, 3, 2, 1]);
    expect(encodeCocoCounts([3, 2, 1, 3, 2, 1])).toBe('32111N');
    expect(decodeCocoCounts('32111N')).toEqual([3, 2, 1, 3, 2, 1]);
    expect(Array.from(cocoRleToBitmap({ size: [3, 4], counts: '32111N' }).bitmap)).toEqual(Array.from(bitmap));
  });

  // A count needing several groups: an empty 100×100 mask is counts [10000].
  // 10000 = 312·32 + 16: group 16 has the sign bit, more follow → 16|32 = 48 → '`'
  // 312 = 9·32 + 24: group 24 has the sign bit, more follow → 24|32 = 56 → 'h'
  // 9: last group, no sign bit → '9'.
  it('writes multi-group counts with continuation bits', () => {
    expect(encodeCocoCounts([10000])).toBe('`h9');
    expect(decodeCocoCounts('`h9')).toEqual([10000]);
  });

  // The example line on the MOTS site (vision.rwth-aachen.de/page/mots) was written by pycocotools
  // for a 375×1242 KITTI frame: our decoder must read it to runs covering the whole frame and our
  // encoder must write those runs back to the identical string.
  it('round-trips the pycocotools string of the MOTS documentation', () => {
    const s = 'WSV:2d;1O10000O10000O1O100O100O1O100O1000000000000000O100O102N5K00O1O1N2O110OO2O001O1NTga3';
    const c = decodeCocoCounts(s);
    expect(c.reduce((a, b) => a + b, 0)).toBe(375 * 1242);
    expect(c.every((v) => v >= 0)).toBe(true);
    expect(encodeCocoCounts(c)).toBe(s);
    const { bitmap } = cocoRleToBitmap({ size: [375, 1242], counts: s });
    const area = bitmap.reduce((a, b) => a + b, 0);
    expect(area).toBe(c.filter((_, i) => i % 2 === 1).reduce((a, b) => a + b, 0));
  });

  it('round-trips large deltas of either sign', () => {
    const big = [0, 2_000_000, 3, 1_500_000, 7, 1, 900_000];
    expect(decodeCocoCounts(encodeCocoCounts(big))).toEqual(big);
  });

  it.each([
    ['char below the alphabet', '3/', /invalid char/],
    ['char above the alphabet', '3p', /invalid char/],
    ['count cut off after a continuation group', '`', /ends inside a count/],
  ])('rejects a malformed string: %s', (_name, s, err) => {
    expect(() => decodeCocoCounts(s)).toThrow(err);
  });

  it('rejects counts that do not cover the frame', () => {
    expect(() => cocoRleToBitmap({ size: [3, 4], counts: [3, 2] })).toThrow(/sum to 5, expected 3×4 = 12/);
  });
});

describe('column-major counts of a row-major bitmap', () => {
  const w = 37;
  const h = 23;
  const cases: [string, Uint8Array][] = [
    ['empty', new Uint8Array(w * h)],
    ['full', new Uint8Array(w * h).fill(1)],
    ['first pixel only', rect(w, h, 0, 0, 1, 1)],
    ['last pixel only', rect(w, h, w - 1, h - 1, w, h)],
    ['full-height columns (runs join across columns)', rect(w, h, 5, 0, 9, h)],
    ['full-height columns to the right edge', rect(w, h, 30, 0, w, h)],
    ['a box in the middle', rect(w, h, 10, 4, 20, 12)],
    ['ragged blobs', blobs(w, h, 7)],
    ['more ragged blobs', blobs(w, h, 99, 30)],
  ];
  it.each(cases)('%s: equals the plain column walk, starts with background, no inner zeros', (_n, bitmap) => {
    const c = counts(bitmap, w, h);
    expect(c).toEqual(naiveRuns(columnMajor(bitmap, w, h)));
    expect(c.slice(1).every((v) => v > 0)).toBe(true);
  });

  it.each(cases)('%s: uncompressed and compressed forms decode to the same pixels', (_n, bitmap) => {
    const c = counts(bitmap, w, h);
    expect(Array.from(cocoRleToBitmap({ size: [h, w], counts: c }).bitmap)).toEqual(Array.from(bitmap));
    expect(Array.from(cocoRleToBitmap({ size: [h, w], counts: encodeCocoCounts(c) }).bitmap)).toEqual(Array.from(bitmap));
  });
});
