import { describe, expect, it } from 'vitest';
import { clampFrame, formatTime, frameAtPosition, playbackFrame, positionOfFrame } from '../../../src-renderer/src/lib/timecode';

describe('formatTime', () => {
  const cases: [number, number, string][] = [
    [0, 25, '00:00.00'],
    [1, 25, '00:00.04'],
    [25, 25, '00:01.00'],
    [49, 25, '00:01.96'],
    [1, 30, '00:00.03'],
    [3, 30, '00:00.10'],
    [1799, 30, '00:59.96'],
    [1800, 30, '01:00.00'],
    [90000, 25, '1:00:00.00'],
    [1001, 29.97, '00:33.40'],
    [10, 0, '00:00.00'],
    [-5, 25, '00:00.00'],
  ];
  it.each(cases)('frame %d at %d fps is %s', (f, fps, s) => expect(formatTime(f, fps)).toBe(s));
});

describe('clampFrame', () => {
  const cases: [number, number, number][] = [
    [-1, 50, 0],
    [0, 50, 0],
    [49, 50, 49],
    [50, 50, 49],
    [12.4, 50, 12],
    [12.6, 50, 13],
    [5, 0, 0],
    [Number.NaN, 50, 0],
  ];
  it.each(cases)('clampFrame(%d, %d) = %d', (f, n, e) => expect(clampFrame(f, n)).toBe(e));
});

describe('scrubber position ↔ frame', () => {
  const cases: [number, number, number, number][] = [
    [0, 500, 50, 0],
    [500, 500, 50, 49],
    [250, 500, 50, 25],
    [-40, 500, 50, 0],
    [900, 500, 50, 49],
    [100, 500, 1, 0],
    [100, 0, 50, 0],
  ];
  it.each(cases)('x=%d of %d with %d frames → %d', (x, w, n, f) => expect(frameAtPosition(x, w, n)).toBe(f));

  it('positionOfFrame inverts frameAtPosition for every frame', () => {
    for (let f = 0; f < 137; f++) expect(frameAtPosition(positionOfFrame(f, 613, 137), 613, 137)).toBe(f);
  });
});

describe('playbackFrame follows the clock', () => {
  const cases: [string, number, number, number, number, number, number][] = [
    ['at start', 10, 1000, 1000, 25, 100, 10],
    ['one frame period later', 10, 1000, 1040, 25, 100, 11],
    ['just before the next frame', 10, 1000, 1079, 25, 100, 11],
    ['a slow second still advances a full second', 10, 1000, 2000, 25, 100, 35],
    ['stops at the last frame', 90, 0, 100000, 25, 100, 99],
    ['clock going backwards holds', 10, 1000, 900, 25, 100, 10],
  ];
  it.each(cases)('%s', (_n, f0, t0, now, fps, n, expected) => expect(playbackFrame(f0, t0, now, fps, n)).toBe(expected));
});
