// Connected components (8-connected) and both small-region clean-ups on hand-made masks.
import { describe, expect, test } from 'vitest';
import { labelComponents } from '../../../src-main/core/sam2/components';
import { lowResCleanup, removeSmallRegions } from '../../../src-main/core/sam2/amg/components';

function bits(rows: string[]): { m: Uint8Array; h: number; w: number } {
  return { m: Uint8Array.from(rows.join(''), (c) => (c === '#' ? 1 : 0)), h: rows.length, w: rows[0]!.length };
}
function show(m: ArrayLike<number>, h: number, w: number, on: (v: number) => boolean = (v) => v > 0): string[] {
  return Array.from({ length: h }, (_, y) => Array.from({ length: w }, (_, x) => (on(m[y * w + x]!) ? '#' : '.')).join(''));
}
/** '#' → logit 5, '.' → −5 */
function logits(rows: string[]): { l: Float32Array; h: number; w: number } {
  const { m, h, w } = bits(rows);
  return { l: Float32Array.from(m, (v) => (v ? 5 : -5)), h, w };
}

describe('labelComponents', () => {
  test('8-connected: diagonal neighbours join; labels follow raster order of first pixels', () => {
    const { m, h, w } = bits(['#..#', '.#..', '....', '##.#']);
    const { labels, sizes } = labelComponents(m, h, w);
    expect(Array.from(labels)).toEqual([1, 0, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 3, 3, 0, 4]);
    expect(sizes).toEqual([0, 2, 1, 2, 1]);
  });
});

describe('lowResCleanup (official SAM 2: max_hole_area = max_sprinkle_area)', () => {
  test.each([
    {
      name: 'holes up to the area are filled, islands up to it removed (≤, inclusive)',
      area: 2,
      rows: ['#######.', '#..####.', '#######.', '........', '.##.....', '........'],
      want: ['#######.', '#######.', '#######.', '........', '........', '........'],
    },
    {
      name: 'larger holes and islands stay',
      area: 1,
      rows: ['#####', '#..##', '#####', '.....', '##...'],
      want: ['#####', '#..##', '#####', '.....', '##...'],
    },
    {
      name: 'holes first: a ring of 8 with a 1-pixel hole becomes 9 pixels and survives area 8',
      area: 8,
      rows: ['.....', '.###.', '.#.#.', '.###.', '.....'],
      want: ['.....', '.###.', '.###.', '.###.', '.....'],
    },
    {
      name: 'background touching the border counts as a hole',
      area: 3,
      rows: ['.####', '#####', '#####'],
      want: ['#####', '#####', '#####'],
    },
    { name: 'area 0 is off', area: 0, rows: ['###', '#.#', '###', '...', '.#.'], want: ['###', '#.#', '###', '...', '.#.'] },
  ])('$name', ({ area, rows, want }) => {
    const { l, h, w } = logits(rows);
    expect(show(lowResCleanup(l, h, w, area), h, w)).toEqual(want);
  });

  test('filled pixels get threshold + 10, removed ones threshold − 10, others keep their logits', () => {
    const { l, h, w } = logits(['###.', '#.#.', '###.', '....', '...#']);
    l[0] = 7.5;
    const out = lowResCleanup(l, h, w, 1, 0.25);
    expect(out[5]).toBe(Math.fround(10.25));
    expect(out[19]).toBe(Math.fround(-9.75));
    expect(out[0]).toBe(7.5);
    expect(out[3]).toBe(-5);
    expect(l[5]).toBe(-5); // the input is not modified
  });
});

describe('removeSmallRegions (SAM 1 / cv2 semantics)', () => {
  test('holes: background components smaller than the area (strictly) are filled', () => {
    const { m, h, w } = bits(['######', '#.##.#', '####.#', '######']);
    const r = removeSmallRegions(m, h, w, 2, 'holes');
    expect(r.changed).toBe(true);
    expect(show(r.mask, h, w)).toEqual(['######', '####.#', '####.#', '######']);
    expect(removeSmallRegions(m, h, w, 1, 'holes')).toEqual({ mask: m, changed: false });
  });

  test('islands: foreground components smaller than the area are dropped', () => {
    const { m, h, w } = bits(['###...', '###..#', '......', '.#....']);
    const r = removeSmallRegions(m, h, w, 2, 'islands');
    expect(show(r.mask, h, w)).toEqual(['###...', '###...', '......', '......']);
    expect(r.changed).toBe(true);
  });

  test('islands: when every component is small, the largest is kept', () => {
    const { m, h, w } = bits(['##...', '.....', '...##', '...#.']);
    const r = removeSmallRegions(m, h, w, 10, 'islands');
    expect(show(r.mask, h, w)).toEqual(['.....', '.....', '...##', '...#.']);
  });

  test('nothing to remove leaves the mask unchanged (the same array)', () => {
    const { m, h, w } = bits(['###', '###']);
    expect(removeSmallRegions(m, h, w, 3, 'islands')).toEqual({ mask: m, changed: false });
    expect(removeSmallRegions(new Uint8Array(6), 2, 3, 3, 'islands').changed).toBe(false);
  });
});
