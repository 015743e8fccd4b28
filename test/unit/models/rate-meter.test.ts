import { expect, test } from 'vitest';
import { RateMeter } from '../../../src-main/core/models/rate-meter';

function meter(windowMs = 3000) {
  let t = 0;
  const m = new RateMeter(windowMs, () => t);
  return { m, at: (ms: number) => (t = ms) };
}

test('null until 200 ms of history, then bytes per second', () => {
  const { m, at } = meter();
  at(0);
  expect(m.sample(0)).toBeNull();
  at(100);
  expect(m.sample(100_000)).toBeNull();
  at(1000);
  expect(m.sample(1_000_000)).toBe(1_000_000);
});

test('a resumed prefix does not count as speed (the first sample is the baseline)', () => {
  const { m, at } = meter();
  at(0);
  m.sample(50_000_000);
  at(2000);
  expect(m.sample(52_000_000)).toBe(1_000_000);
});

test('only the recent window counts', () => {
  const { m, at } = meter(1000);
  at(0);
  m.sample(0);
  at(500);
  m.sample(5_000_000); // 10 MB/s burst
  at(1500);
  m.sample(5_100_000);
  at(2500);
  // the burst has left the window: ~0.1 MB/s measured over [1500, 2500]
  expect(m.sample(5_200_000)).toBeCloseTo(100_000, -3);
});

test('reset forgets history', () => {
  const { m, at } = meter();
  at(0);
  m.sample(0);
  at(1000);
  m.reset();
  expect(m.sample(10)).toBeNull();
});
