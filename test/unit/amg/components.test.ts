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

/** The plain statement: flood fill from each unlabelled pixel in raster order over its eight neighbours. */
function floodLabels(on: Uint8Array, h: number, w: number): { labels: Int32Array; sizes: number[] } {
  const labels = new Int32Array(h * w);
  const sizes = [0];
  for (let start = 0; start < h * w; start++) {
    if (!on[start] || labels[start]) continue;
    const id = sizes.length;
    const stack = [start];
    labels[start] = id;
    let size = 0;
    while (stack.length) {
      const p = stack.pop()!;
      size++;
      const y = Math.floor(p / w);
      const x = p % w;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
          const q = yy * w + xx;
          if (on[q] && !labels[q]) {
            labels[q] = id;
            stack.push(q);
          }
        }
    }
    sizes.push(size);
  }
  return { labels, sizes };
}

describe('labelComponents by runs equals the flood fill (table)', () => {
  test.each([
    ['empty', 0, 0, 0],
    ['one pixel on', 1, 1, 1],
    ['one column', 40, 1, 0.5],
    ['one row', 1, 40, 0.5],
    ['sparse noise (many single pixels, diagonal joins)', 64, 64, 0.2],
    ['half noise (the random-weights masks)', 256, 256, 0.5],
    ['dense noise (holes between)', 64, 64, 0.8],
    ['all on', 17, 23, 1],
    ['stripes and a blob', 90, 70, -1],
  ])('%s (%i×%i)', (_, h, w, p) => {
    let seed = h * 1000 + w;
    const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const on = Uint8Array.from({ length: h * w }, (_, i) => {
      if (p >= 0) return rnd() < p ? 1 : 0;
      const y = Math.floor(i / w);
      const x = i % w;
      return (x + 2 * y) % 9 === 0 || Math.hypot(x - 40, y - 50) < 20 ? 1 : 0;
    });
    const want = floodLabels(on, h, w);
    const got = labelComponents(on, h, w);
    expect(got.sizes).toEqual(want.sizes);
    expect(Buffer.from(got.labels.buffer).equals(Buffer.from(want.labels.buffer))).toBe(true);
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
