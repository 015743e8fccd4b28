// Rate, ETA and throttle decisions, table-style.
import { describe, expect, it } from 'vitest';
import { computeEta, computeRate, nextEmitDelay } from '../../../src-main/core/jobs';
import { pruneSamples } from '../../../src-main/core/jobs/progress-math';

describe('computeRate', () => {
  const s = (...pairs: [number, number][]) => pairs.map(([t, done]) => ({ t, done }));
  const table: [string, ReturnType<typeof s>, number, number, number | null][] = [
    ['no samples', s(), 1000, 5000, null],
    ['one sample', s([0, 0]), 1000, 5000, null],
    ['steady 10/s', s([0, 0], [1000, 10], [2000, 20]), 2000, 5000, 10],
    ['too short a span', s([0, 0], [100, 50]), 100, 5000, null],
    ['stalled: falls while nothing moves', s([0, 0], [1000, 10]), 2000, 5000, 5],
    ['window keeps the newest old sample as anchor', s([0, 0], [1000, 100], [9000, 180], [10000, 190]), 10000, 5000, 90 / 9],
    ['only the recent pace counts', s([0, 0], [5000, 10], [6000, 110]), 6000, 1000, 100],
    ['going backwards is no rate', s([0, 10], [1000, 5]), 1000, 5000, null],
  ];
  it.each(table)('%s', (_n, samples, now, win, rate) => {
    const r = computeRate(samples, now, win);
    if (rate === null) expect(r).toBeNull();
    else expect(r).toBeCloseTo(rate, 9);
  });
});

describe('computeEta', () => {
  const table: [number, number, number | null, number | null][] = [
    [0, 100, 10, 10],
    [50, 100, 10, 5],
    [100, 100, 10, 0],
    [120, 100, 10, 0],
    [10, 100, null, null],
    [10, 100, 0, null],
    [10, 0, 5, null],
  ];
  it.each(table)('done %d of %d at %s/s → %s s', (done, total, rate, eta) => {
    expect(computeEta(done, total, rate)).toBe(eta);
  });
});

describe('nextEmitDelay', () => {
  const table: [number | null, number, number, number][] = [
    [null, 0, 100, 0],
    [0, 100, 100, 0],
    [0, 250, 100, 0],
    [0, 30, 100, 70],
    [1000, 1099, 100, 1],
  ];
  it.each(table)('last %s, now %d, every %d ms → wait %d', (last, now, every, wait) => {
    expect(nextEmitDelay(last, now, every)).toBe(wait);
  });
});

describe('pruneSamples', () => {
  it('keeps one anchor at or before the window start', () => {
    const samples = [0, 1000, 2000, 3000, 4000].map((t) => ({ t, done: t }));
    pruneSamples(samples, 4000, 1500);
    expect(samples.map((x) => x.t)).toEqual([2000, 3000, 4000]);
  });
});
