import { describe, expect, it } from 'vitest';
import { frameRuns, insertSorted, keyedRuns, mergeFrames, nextFrameIn, prevFrameIn } from '../../../src-renderer/src/lib/track-bars';
import { markedRange, planPropagation, setMarker, NO_MARKERS, type Markers } from '../../../src-renderer/src/lib/markers';

describe('frameRuns', () => {
  const cases: [number[], [number, number][]][] = [
    [[], []],
    [[4], [[4, 4]]],
    [
      [0, 1, 2, 5, 6, 9],
      [
        [0, 2],
        [5, 6],
        [9, 9],
      ],
    ],
    [[0, 1, 1, 2], [[0, 2]]],
  ];
  it.each(cases)('%j → %j', (frames, runs) => expect(frameRuns(frames)).toEqual(runs));
});

describe('keyedRuns', () => {
  it('merges consecutive frames with the same key and splits at gaps', () => {
    const runs = keyedRuns([0, 1, 2, 3, 5, 6], [1, 1, -1, -1, -1, 1], (v) => (v > 0 ? 'hi' : 'lo'));
    expect(runs).toEqual([
      { from: 0, to: 1, key: 'hi' },
      { from: 2, to: 3, key: 'lo' },
      { from: 5, to: 5, key: 'lo' },
      { from: 6, to: 6, key: 'hi' },
    ]);
  });
});

describe('prompted frame jumps', () => {
  const frames = [3, 10, 42];
  const cases: [number, number | null, number | null][] = [
    [0, null, 3],
    [3, null, 10],
    [5, 3, 10],
    [10, 3, 42],
    [42, 10, null],
    [99, 42, null],
  ];
  it.each(cases)('from %s: previous %s, next %s', (from, prev, next) => {
    expect(prevFrameIn(frames, from)).toBe(prev);
    expect(nextFrameIn(frames, from)).toBe(next);
  });
  it('merges and inserts keeping order without duplicates', () => {
    expect(mergeFrames([[5, 1], [3, 5], []].map((l) => [...l].sort((a, b) => a - b)))).toEqual([1, 3, 5]);
    const list = [1, 4, 9];
    expect(insertSorted(list, 5)).toBe(2);
    expect(insertSorted(list, 4)).toBe(1);
    expect(insertSorted(list, 0)).toBe(0);
    expect(insertSorted(list, 20)).toBe(5);
    expect(list).toEqual([0, 1, 4, 5, 9, 20]);
  });
});

describe('markers', () => {
  const cases: [string, Markers, 'in' | 'out', number, Markers][] = [
    ['in on empty', NO_MARKERS, 'in', 10, { in: 10, out: null }],
    ['out on empty', NO_MARKERS, 'out', 10, { in: null, out: 10 }],
    ['in before out keeps out', { in: null, out: 50 }, 'in', 10, { in: 10, out: 50 }],
    ['in after out drops out', { in: 5, out: 20 }, 'in', 30, { in: 30, out: null }],
    ['out before in drops in', { in: 30, out: null }, 'out', 10, { in: null, out: 10 }],
    ['in = out is a one-frame range', { in: null, out: 7 }, 'in', 7, { in: 7, out: 7 }],
  ];
  it.each(cases)('%s', (_n, m, which, f, want) => expect(setMarker(m, which, f)).toEqual(want));

  const ranges: [Markers, number, [number, number]][] = [
    [NO_MARKERS, 100, [0, 99]],
    [{ in: 10, out: null }, 100, [10, 99]],
    [{ in: null, out: 20 }, 100, [0, 20]],
    [{ in: 10, out: 500 }, 100, [10, 99]],
    [NO_MARKERS, 0, [0, 0]],
  ];
  it.each(ranges)('range of %j over %s frames is %j', (m, n, r) => expect(markedRange(m, n)).toEqual(r));
});

describe('planPropagation', () => {
  it('without markers sends no range', () => {
    expect(planPropagation(5, 'forward', NO_MARKERS, 100)).toEqual({ ok: true, args: { frame: 5, direction: 'forward' }, label: 'forward 5–99' });
  });
  it('with markers sends the marked range', () => {
    expect(planPropagation(15, 'both', { in: 10, out: 40 }, 100)).toEqual({
      ok: true,
      args: { frame: 15, direction: 'both', range: [10, 40] },
      label: 'both 10–40',
    });
    expect(planPropagation(15, 'backward', { in: 10, out: null }, 100)).toEqual({
      ok: true,
      args: { frame: 15, direction: 'backward', range: [10, 99] },
      label: 'backward 15–10',
    });
  });
  const refused: [string, number, 'forward' | 'backward' | 'both', Markers, number, RegExp][] = [
    ['outside the range', 5, 'forward', { in: 10, out: 40 }, 100, /Frame 5 is outside the in\/out range 10–40/],
    ['forward from the last frame', 99, 'forward', NO_MARKERS, 100, /last frame of the range/],
    ['backward from the first frame', 10, 'backward', { in: 10, out: null }, 100, /first frame of the range/],
    ['both over one frame', 7, 'both', { in: 7, out: 7 }, 100, /single frame/],
    ['no video', 0, 'forward', NO_MARKERS, 0, /No video/],
  ];
  it.each(refused)('refuses %s with a message', (_n, f, d, m, n, msg) => {
    const p = planPropagation(f, d, m, n);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.message).toMatch(msg);
  });
});
