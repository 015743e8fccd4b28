import { describe, expect, it } from 'vitest';
import { hexToRgb, isHexColor, PALETTE, textOn } from '../../../src-renderer/src/lib/palette';
import { band, confidenceColor, isLowConfidence, nextLowConfidenceFrame, presence } from '../../../src-renderer/src/lib/confidence';

describe('palette', () => {
  it('has 12 distinct, valid colours', () => {
    expect(PALETTE).toHaveLength(12);
    expect(new Set(PALETTE.map((c) => c.toLowerCase())).size).toBe(12);
    for (const c of PALETTE) expect(isHexColor(c)).toBe(true);
  });
  it('every colour is saturated and bright enough to read over video', () => {
    for (const c of PALETTE) {
      const [r, g, b] = hexToRgb(c);
      const max = Math.max(r, g, b);
      const min = Math.min(r, g, b);
      expect(max, c).toBeGreaterThanOrEqual(180);
      expect((max - min) / max, c).toBeGreaterThanOrEqual(0.45);
    }
  });
  it('neighbours in the palette are far apart', () => {
    for (let i = 1; i < PALETTE.length; i++) {
      const a = hexToRgb(PALETTE[i - 1]!);
      const b = hexToRgb(PALETTE[i]!);
      const d = Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
      expect(d, `${PALETTE[i - 1]} vs ${PALETTE[i]}`).toBeGreaterThan(120);
    }
  });
  const hex: [string, [number, number, number] | RegExp][] = [
    ['#ff4d4d', [255, 77, 77]],
    ['#000000', [0, 0, 0]],
    ['#ABCDEF', [171, 205, 239]],
    ['red', /"red" is not of the form #rrggbb/],
    ['#fff', /"#fff"/],
  ];
  it.each(hex)('hexToRgb(%s)', (h, want) => {
    if (want instanceof RegExp) expect(() => hexToRgb(h)).toThrow(want);
    else expect(hexToRgb(h)).toEqual(want);
  });
  const text: [string, string][] = [
    ['#ffd23f', '#000'],
    ['#4f8cff', '#000'],
    ['#a66bff', '#000'],
    ['#1a1a66', '#fff'],
    ['#000000', '#fff'],
  ];
  it.each(text)('text on %s is %s', (bg, want) => expect(textOn(bg)).toBe(want));
});

describe('confidence', () => {
  const cases: [number, 'high' | 'medium' | 'low', boolean][] = [
    [10, 'high', false],
    [2, 'high', false],
    [1, 'medium', false],
    [0, 'medium', false],
    [-0.01, 'low', true],
    [-5, 'low', true],
    [-1024, 'low', true],
    [Infinity, 'high', false],
    [-Infinity, 'low', true],
  ];
  it.each(cases)('score %s → %s (low: %s)', (s, b, low) => {
    expect(band(s)).toBe(b);
    expect(isLowConfidence(s)).toBe(low);
  });
  it('maps certain → green, absent → red, the midpoint → amber', () => {
    expect(confidenceColor(30)).toBe('rgb(61, 187, 122)');
    expect(confidenceColor(-30)).toBe('rgb(229, 72, 77)');
    expect(confidenceColor(0)).toBe('rgb(240, 166, 48)');
    expect(presence(0)).toBe(0.5);
  });

  const tracks = [
    { objectId: 1, frames: [0, 1, 2, 3, 4], scores: [5, 5, -1, 5, -2], promptFrames: [0] },
    { objectId: 2, frames: [3, 4, 5, 6], scores: [5, 5, 5, -3], promptFrames: [3] },
  ];
  const next: [number, number | null][] = [
    [0, 2],
    [2, 4],
    [4, 6],
    [6, 2],
    [100, 2],
  ];
  it.each(next)('next low-confidence frame after %s is %s (wrapping)', (from, want) => expect(nextLowConfidenceFrame(tracks, from)).toBe(want));
  it('is null when every mask is confident', () => {
    expect(nextLowConfidenceFrame([{ objectId: 1, frames: [0, 1], scores: [3, 4], promptFrames: [] }], 0)).toBeNull();
  });
});
