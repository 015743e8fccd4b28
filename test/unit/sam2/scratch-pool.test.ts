import { describe, expect, test } from 'vitest';
import { batchRows, ScratchPool } from '../../../src-main/core/sam2/scratch-pool';

describe('scratch pool', () => {
  test('a buffer given back serves the next take of its size; other sizes get new ones', () => {
    const pool = new ScratchPool();
    const a = pool.take(8);
    expect(pool.allocations).toBe(1);
    pool.give(a);
    expect(pool.bytes).toBe(32);
    expect(pool.take(8)).toBe(a);
    expect(pool.bytes).toBe(0);
    const b = pool.take(8);
    expect(b).not.toBe(a);
    expect(pool.take(4).length).toBe(4);
    expect(pool.allocations).toBe(3);
  });

  test('two takers never share a buffer; giving one back twice keeps it once', () => {
    const pool = new ScratchPool();
    const a = pool.take(16);
    pool.give(a);
    pool.give(a);
    const x = pool.take(16);
    const y = pool.take(16);
    expect(x).toBe(a);
    expect(y).not.toBe(a);
  });

  test('clear drops what is held (nothing kept between operations)', () => {
    const pool = new ScratchPool();
    pool.give(pool.take(1024));
    expect(pool.bytes).toBe(4096);
    pool.clear();
    expect(pool.bytes).toBe(0);
    pool.take(1024);
    expect(pool.allocations).toBe(2);
  });
});

describe('decoder batch rows', () => {
  const len = 4;
  const out = Float32Array.from({ length: 3 * len }, (_, i) => i);
  const view = (b: number) => out.subarray(b * len, (b + 1) * len);
  test.each([
    ['one row is used as it is', () => [view(1)], true],
    ['consecutive rows of one output, in order, are used in place', () => [view(0), view(1), view(2)], true],
    ['rows out of order are copied', () => [view(1), view(0)], false],
    ['a gap between rows is copied', () => [view(0), view(2)], false],
    ['rows of different buffers are copied', () => [view(0), Float32Array.from([9, 9, 9, 9])], false],
  ])('%s', (_, rows, inPlace) => {
    const taken: Float32Array[] = [];
    const r = batchRows(rows(), len, (n) => {
      const a = new Float32Array(n);
      taken.push(a);
      return a;
    });
    expect(Array.from(r.data)).toEqual(rows().flatMap((x) => Array.from(x)));
    if (inPlace) {
      expect(r.pooled).toBeNull();
      expect(r.data.buffer).toBe(out.buffer);
    } else {
      expect(r.pooled).toBe(taken[0]);
      expect(r.data).toBe(taken[0]);
    }
  });

  test('a row of the wrong length is refused', () => {
    expect(() => batchRows([Float32Array.of(1, 2, 3)], len, (n) => new Float32Array(n))).toThrow(/3 values, 4 expected/);
  });
});
