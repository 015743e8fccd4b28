import { describe, expect, it } from 'vitest';
import { cacheCapacity, prefetchOrder, prefetchWindow } from '../../../src-renderer/src/lib/prefetch';
import { Lru } from '../../../src-renderer/src/lib/lru';

describe('prefetchOrder', () => {
  const w = { ahead: 3, behind: 2 };
  const cases: [string, number, number, number, number[]][] = [
    ['middle: current, then forward/backward alternating', 10, 100, 100, [10, 11, 9, 12, 8, 13]],
    ['at the start nothing behind', 0, 100, 100, [0, 1, 2, 3]],
    ['at the end nothing ahead', 99, 100, 100, [99, 98, 97]],
    ['only extracted frames', 10, 100, 12, [10, 11, 9, 8]],
    ['current not extracted yet: neighbours that are', 10, 100, 10, [9, 8]],
    ['single-frame video', 0, 1, 1, [0]],
    ['nothing ready', 5, 100, 0, []],
  ];
  it.each(cases)('%s', (_n, c, n, ready, expected) => expect(prefetchOrder(c, n, ready, w)).toEqual(expected));

  it('never lists a frame twice', () => {
    const order = prefetchOrder(50, 100, 100, { ahead: 20, behind: 20 });
    expect(new Set(order).size).toBe(order.length);
  });
});

describe('prefetchWindow', () => {
  it('looks ahead further while playing', () => {
    const play = prefetchWindow(true, 200);
    const scrub = prefetchWindow(false, 200);
    expect(play.ahead).toBeGreaterThan(scrub.ahead);
    expect(play.behind).toBeLessThan(scrub.behind);
  });
  it('fits the window into the cache so prefetching cannot evict the current frame', () => {
    for (const cap of [8, 16, 30, 400]) {
      for (const playing of [true, false]) {
        const w = prefetchWindow(playing, cap);
        expect(1 + w.ahead + w.behind).toBeLessThanOrEqual(cap);
      }
    }
  });
});

describe('cacheCapacity', () => {
  const cases: [number, number, number][] = [
    [320, 240, 400],
    [1920, 1080, 97],
    [3840, 2160, 24],
    [7680, 4320, 8],
  ];
  it.each(cases)('%dx%d keeps %d frames', (w, h, n) => expect(cacheCapacity(w, h)).toBe(n));
});

describe('Lru', () => {
  it('evicts the least recently used and reports it', () => {
    const evicted: number[] = [];
    const lru = new Lru<number, string>(2, (k) => evicted.push(k));
    lru.set(1, 'a');
    lru.set(2, 'b');
    lru.get(1);
    lru.set(3, 'c');
    expect(evicted).toEqual([2]);
    expect(lru.has(1) && lru.has(3)).toBe(true);
  });
  it('peek does not refresh', () => {
    const lru = new Lru<number, string>(2);
    lru.set(1, 'a');
    lru.set(2, 'b');
    lru.peek(1);
    lru.set(3, 'c');
    expect(lru.has(1)).toBe(false);
  });
  it('protected keys survive an eviction round', () => {
    const lru = new Lru<number, string>(2);
    lru.set(1, 'a');
    lru.set(2, 'b');
    lru.set(3, 'c', new Set([1]));
    expect([lru.has(1), lru.has(2), lru.has(3)]).toEqual([true, false, true]);
  });
  it('replacing a value evicts the old one; clear evicts all', () => {
    const evicted: string[] = [];
    const lru = new Lru<number, string>(4, (_k, v) => evicted.push(v));
    lru.set(1, 'a');
    lru.set(1, 'b');
    lru.set(2, 'c');
    lru.clear();
    expect(evicted).toEqual(['a', 'b', 'c']);
    expect(lru.size).toBe(0);
  });
  it('resize shrinks', () => {
    const lru = new Lru<number, number>(5);
    for (let i = 0; i < 5; i++) lru.set(i, i);
    lru.resize(2);
    expect(lru.size).toBe(2);
    expect(lru.has(3) && lru.has(4)).toBe(true);
  });
});
