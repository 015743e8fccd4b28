import { describe, expect, test } from 'vitest';
import { fillHoles } from '../../../src-main/core/sam2/hole-fill';

// '#' foreground (logit 5), '.' background (logit -5)
function grid(rows: string[]): { a: Float32Array; h: number; w: number } {
  const h = rows.length;
  const w = rows[0]!.length;
  const a = new Float32Array(h * w);
  rows.forEach((r, y) => [...r].forEach((c, x) => (a[y * w + x] = c === '#' ? 5 : -5)));
  return { a, h, w };
}
function show(a: Float32Array, h: number, w: number): string[] {
  return Array.from({ length: h }, (_, y) => Array.from({ length: w }, (_, x) => (a[y * w + x]! > 0 ? '#' : '.')).join(''));
}

describe('hole filling (Appendix C)', () => {
  test.each([
    {
      name: 'a 1-pixel hole is filled, the outer background is not',
      max: 8,
      rows: ['......', '.####.', '.#.##.', '.####.', '......'],
      want: ['......', '.####.', '.####.', '.####.', '......'],
    },
    {
      name: 'holes connect diagonally (8-connectivity): 2 pixels form one hole',
      max: 1,
      rows: ['#####', '#.###', '##.##', '#####'],
      want: ['#####', '#.###', '##.##', '#####'],
    },
    {
      name: 'a diagonal 2-pixel hole is filled at max area 2',
      max: 2,
      rows: ['#####', '#.###', '##.##', '#####'],
      want: ['#####', '#####', '#####', '#####'],
    },
    {
      name: 'a hole larger than the limit stays',
      max: 3,
      rows: ['######', '#..###', '#..###', '######'],
      want: ['######', '#..###', '#..###', '######'],
    },
    {
      name: 'background touching the border is a component like any other',
      max: 2,
      rows: ['.####', '#####', '#####'],
      want: ['#####', '#####', '#####'],
    },
    { name: 'max area 0 is off', max: 0, rows: ['###', '#.#', '###'], want: ['###', '#.#', '###'] },
  ])('$name', ({ rows, max, want }) => {
    const { a, h, w } = grid(rows);
    const out = fillHoles(a, h, w, max);
    expect(show(out, h, w)).toEqual(want);
  });

  test('filled pixels get logit 0.1 (float32), others are untouched', () => {
    const { a, h, w } = grid(['###', '#.#', '###']);
    a[0] = 7.25;
    const out = fillHoles(a, h, w, 8);
    expect(out[4]).toBe(Math.fround(0.1));
    expect(out[0]).toBe(7.25);
    expect(a[4]).toBe(-5);
  });

  test('an all -1024 map (absent object) is unchanged', () => {
    const a = new Float32Array(16).fill(-1024);
    expect(Array.from(fillHoles(a, 4, 4, 8))).toEqual(Array.from(a));
  });

  test('zero logits count as background', () => {
    const { a, h, w } = grid(['###', '#.#', '###']);
    a[4] = 0;
    expect(fillHoles(a, h, w, 8)[4]).toBe(Math.fround(0.1));
  });
});
