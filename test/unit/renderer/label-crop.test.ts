// The Labels panel's crop options (lib/label-crop.ts), as tables.
import { describe, expect, it } from 'vitest';
import { cropSummary, marginFromPercent, marginPercent } from '../../../src-renderer/src/lib/label-crop';

describe('margin field', () => {
  it.each([
    ['0', 0],
    ['10', 0.1],
    [' 12.5 ', 0.125],
    [200, 2],
    ['201', null],
    ['-1', null],
    ['', null],
    ['ten', null],
  ] as const)('%j → %j', (text, expected) => {
    expect(marginFromPercent(text)).toBe(expected);
  });
  it.each([
    [0, 0],
    [0.1, 10],
    [0.125, 12.5],
    [1 / 3, 33.33],
  ])('fraction %f shows as %f %%', (m, p) => {
    expect(marginPercent({ margin: m, greyOutside: false, padSquare: true })).toBe(p);
  });
});

describe('cropSummary', () => {
  it.each([
    [{ margin: 0, greyOutside: false, padSquare: true }, 'tight box, padded to square'],
    [{ margin: 0.1, greyOutside: true, padSquare: false }, 'margin 10 %, grey outside, not padded'],
  ])('%j → %s', (c, s) => {
    expect(cropSummary(c)).toBe(s);
  });
});
