// Row-major RLE: encode/decode, geometry and the blob codec, table-style.
import { describe, expect, it } from 'vitest';
import {
  RleError,
  decodeMask,
  emptyRle,
  encodeMask,
  packRle,
  rleArea,
  rleBbox,
  rleIou,
  unpackRle,
  validateRle,
  type Rle,
} from '../../../src-main/core/masks/rle';
import { naiveRuns } from './reference-runs';

/** A mask from rows of '.' (background) and '#' (foreground). */
function art(rows: string[]): { mask: Uint8Array; h: number; w: number } {
  const h = rows.length;
  const w = rows[0]!.length;
  const mask = new Uint8Array(h * w);
  rows.forEach((r, y) => [...r].forEach((c, x) => (mask[y * w + x] = c === '#' ? 1 : 0)));
  return { mask, h, w };
}

const cases: { name: string; rows: string[]; counts: number[]; area: number; bbox: [number, number, number, number] | null }[] = [
  { name: 'empty', rows: ['...', '...'], counts: [6], area: 0, bbox: null },
  { name: 'full', rows: ['###', '###'], counts: [0, 6], area: 6, bbox: [0, 0, 3, 2] },
  { name: 'one pixel in the middle', rows: ['...', '.#.', '...'], counts: [4, 1, 4], area: 1, bbox: [1, 1, 1, 1] },
  { name: 'first pixel only', rows: ['#..', '...'], counts: [0, 1, 5], area: 1, bbox: [0, 0, 1, 1] },
  { name: 'last pixel only', rows: ['...', '..#'], counts: [5, 1], area: 1, bbox: [2, 1, 1, 1] },
  { name: 'single pixel image, set', rows: ['#'], counts: [0, 1], area: 1, bbox: [0, 0, 1, 1] },
  { name: 'single pixel image, clear', rows: ['.'], counts: [1], area: 0, bbox: null },
  { name: 'odd size, run wrapping a row', rows: ['....#', '##...', '.....'], counts: [4, 3, 8], area: 3, bbox: [0, 0, 5, 2] },
  { name: 'column', rows: ['.#.', '.#.', '.#.'], counts: [1, 1, 2, 1, 2, 1, 1], area: 3, bbox: [1, 0, 1, 3] },
  { name: 'two blobs', rows: ['##.....', '.......', '....##.'], counts: [0, 2, 16, 2, 1], area: 4, bbox: [0, 0, 6, 3] },
];

describe('encode / decode / area / bbox', () => {
  it.each(cases)('$name', ({ rows, counts, area, bbox }) => {
    const { mask, h, w } = art(rows);
    const rle = encodeMask(mask, h, w);
    expect(rle).toEqual({ h, w, counts });
    expect(decodeMask(rle)).toEqual(mask);
    expect(rleArea(rle)).toBe(area);
    expect(rleBbox(rle)).toEqual(bbox);
    expect(unpackRle(packRle(rle))).toEqual(rle);
  });

  it('treats any non-zero byte as foreground (0/255 masks)', () => {
    expect(encodeMask(new Uint8Array([0, 255, 255, 0, 7, 0]), 2, 3).counts).toEqual([1, 2, 1, 1, 1]);
  });

  it('gives the same runs for any buffer alignment, values and length (word-skipping path)', () => {
    let seed = 3;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let k = 0; k < 30; k++) {
      const w = 1 + Math.floor(rnd() * 40);
      const h = 1 + Math.floor(rnd() * 9);
      const mask = new Uint8Array(h * w);
      for (let i = 0; i < mask.length;) {
        const run = 1 + Math.floor(rnd() * 12);
        const v = rnd() < 0.5 ? 0 : [1, 255, 7][Math.floor(rnd() * 3)]!;
        mask.fill(v, i, i + run);
        i += run;
      }
      const expected = naiveRuns(mask);
      for (const offset of [0, 1, 2, 3, 4]) {
        const backing = new Uint8Array(mask.length + 8);
        backing.set(mask, offset);
        expect(encodeMask(backing.subarray(offset, offset + mask.length), h, w).counts).toEqual(expected);
      }
    }
  });

  it('decodes into a reused buffer, overwriting old content', () => {
    const out = new Uint8Array(6).fill(1);
    expect([...decodeMask({ h: 2, w: 3, counts: [2, 1, 3] }, out)]).toEqual([0, 0, 1, 0, 0, 0]);
  });

  it('accepts zero-length runs from other encoders', () => {
    const rle = { h: 1, w: 4, counts: [1, 0, 1, 2] };
    expect(() => validateRle(rle)).not.toThrow();
    expect([...decodeMask(rle)]).toEqual([0, 0, 1, 1]);
    expect(rleArea(rle)).toBe(2);
    expect(rleBbox(rle)).toEqual([2, 0, 2, 1]);
  });

  it('round-trips a random 1080p mask', () => {
    const h = 1080;
    const w = 1920;
    const mask = new Uint8Array(h * w);
    let seed = 7;
    for (let i = 0; i < mask.length; i += 1 + ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 4000)) mask.fill(1, i, i + (seed % 900));
    const rle = encodeMask(mask, h, w);
    // Buffer.equals: deep-equal on 2 million elements would take seconds.
    expect(Buffer.from(decodeMask(unpackRle(packRle(rle)))).equals(Buffer.from(mask))).toBe(true);
    let area = 0;
    for (let i = 0; i < mask.length; i++) area += mask[i]!;
    expect(rleArea(rle)).toBe(area);
  });
});

describe('IoU on RLE', () => {
  const m = (rows: string[]): Rle => {
    const a = art(rows);
    return encodeMask(a.mask, a.h, a.w);
  };
  const table: [string, string[], string[], number][] = [
    ['identical', ['##..', '....'], ['##..', '....'], 1],
    ['disjoint', ['##..', '....'], ['..##', '....'], 0],
    ['half overlap', ['##..', '....'], ['.##.', '....'], 1 / 3],
    ['contained', ['####', '####'], ['.##.', '....'], 2 / 8],
    ['one empty', ['....', '....'], ['.#..', '....'], 0],
    ['both empty', ['....', '....'], ['....', '....'], 1],
    ['across rows', ['...#', '#...'], ['...#', '##..'], 2 / 3],
  ];
  it.each(table)('%s', (_n, a, b, iou) => {
    expect(rleIou(m(a), m(b))).toBeCloseTo(iou, 10);
    expect(rleIou(m(b), m(a))).toBeCloseTo(iou, 10);
  });

  it('matches a pixel count on random masks', () => {
    let s = 1;
    const rnd = () => (s = (s * 48271) % 2147483647) / 2147483647;
    for (let k = 0; k < 20; k++) {
      const a = new Uint8Array(37 * 23).map(() => (rnd() < 0.4 ? 1 : 0));
      const b = new Uint8Array(37 * 23).map(() => (rnd() < 0.5 ? 1 : 0));
      let inter = 0;
      let union = 0;
      for (let i = 0; i < a.length; i++) {
        inter += a[i]! & b[i]!;
        union += a[i]! | b[i]!;
      }
      expect(rleIou(encodeMask(a, 37, 23), encodeMask(b, 37, 23))).toBeCloseTo(inter / union, 12);
    }
  });

  it('refuses masks of different sizes', () => {
    expect(() => rleIou(emptyRle(2, 3), emptyRle(3, 2))).toThrow(/different sizes/);
  });
});

describe('bad input', () => {
  const bad: [string, () => unknown, RegExp][] = [
    ['wrong pixel count', () => encodeMask(new Uint8Array(5), 2, 3), /5 pixels but 2×3 needs 6/],
    ['zero size', () => emptyRle(0, 3), /not a positive integer size/],
    ['fractional size', () => emptyRle(1.5, 3), /not a positive integer size/],
    ['counts not summing to h×w', () => validateRle({ h: 2, w: 2, counts: [1, 2] }), /sum to 3, but 2×2 has 4/],
    ['negative count', () => validateRle({ h: 1, w: 2, counts: [3, -1] }), /count #1 is -1/],
    ['no counts', () => validateRle({ h: 1, w: 1, counts: [] }), /non-empty array/],
    ['decode of a bad rle', () => decodeMask({ h: 1, w: 2, counts: [1] }), /sum to 1/],
    ['decode into the wrong buffer', () => decodeMask(emptyRle(2, 2), new Uint8Array(3)), /3 bytes, the mask needs 4/],
    ['blob too short', () => unpackRle(new Uint8Array([1, 2])), /too short/],
    ['blob of another version', () => unpackRle(new Uint8Array([9, 1, 1, 1, 1])), /version 9/],
    ['blob cut short', () => unpackRle(packRle({ h: 300, w: 300, counts: [200, 89800] }).subarray(0, 6)), /claims 2 runs|ends in the middle/],
    ['blob with trailing bytes', () => unpackRle(Buffer.concat([packRle(emptyRle(2, 2)), Buffer.from([0])])), /trailing/],
    ['blob whose counts do not add up', () => unpackRle(new Uint8Array([1, 2, 2, 1, 3])), /sum to 3/],
  ];
  it.each(bad)('%s', (_n, f, msg) => {
    expect(f).toThrow(RleError);
    expect(f).toThrow(msg);
  });
});

describe('blob size', () => {
  it('stores small runs in one byte each, big ones in a few', () => {
    expect(packRle({ h: 10, w: 10, counts: [50, 50] })).toHaveLength(1 + 1 + 1 + 1 + 2);
    expect(packRle({ h: 1080, w: 1920, counts: [2073600] })).toHaveLength(1 + 2 + 2 + 1 + 3);
  });
});
