import { describe, expect, test } from 'vitest';
import { planMemory, propagationOrder, selectCondFrames, type MemoryPlanInput } from '../../../src-main/core/sam2/memory-plan';

// Notation: spatial memories as "frame:row", pointers as "frame:dist".
function plan(p: Partial<MemoryPlanInput> & { frame: number; cond: number[]; nonCond: number[] }) {
  const nonCond = new Set(p.nonCond);
  const r = planMemory({
    frame: p.frame,
    reverse: p.reverse ?? false,
    numFrames: p.numFrames ?? 100,
    condFrames: p.cond,
    hasNonCond: (t) => nonCond.has(t),
    numMaskmem: p.numMaskmem ?? 7,
    maxCondFrames: p.maxCondFrames ?? -1,
    maxObjPtrs: p.maxObjPtrs ?? 16,
  });
  return {
    spatial: r.spatial.map((s) => `${s.frame}:${s.row}`).join(' '),
    pointers: r.pointers.map((s) => `${s.frame}:${s.dist}`).join(' '),
    tDiffMax: r.tDiffMax,
  };
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('memory frames, temporal rows and pointers (spec 7.6 worked examples and more)', () => {
  test.each([
    // A. click on 0, forward
    { name: 'A f=1', frame: 1, cond: [0], nonCond: [], spatial: '0:6', pointers: '0:1' },
    { name: 'A f=2', frame: 2, cond: [0], nonCond: [1], spatial: '0:6 1:0', pointers: '0:2 1:1' },
    { name: 'A f=7', frame: 7, cond: [0], nonCond: range(1, 6), spatial: '0:6 1:5 2:4 3:3 4:2 5:1 6:0', pointers: '0:7 6:1 5:2 4:3 3:4 2:5 1:6' },
    {
      name: 'A f=30 (16 pointers)',
      frame: 30,
      cond: [0],
      nonCond: range(1, 29),
      spatial: '0:6 24:5 25:4 26:3 27:2 28:1 29:0',
      pointers: ['0:30', ...range(1, 15).map((d) => `${30 - d}:${d}`)].join(' '),
    },
    // B. clicks on 0 and 40: the future cond frame gives spatial memory but no pointer
    {
      name: 'B f=10',
      frame: 10,
      cond: [0, 40],
      nonCond: range(1, 9),
      spatial: '0:6 40:6 4:5 5:4 6:3 7:2 8:1 9:0',
      pointers: ['0:10', ...range(1, 9).map((d) => `${10 - d}:${d}`)].join(' '),
    },
    {
      name: 'B f=45 (gap at the cond frame)',
      frame: 45,
      cond: [0, 40],
      nonCond: [...range(1, 39), ...range(41, 44)],
      spatial: '0:6 40:6 39:5 41:3 42:2 43:1 44:0',
      pointers: ['0:45', '40:5', '44:1', '43:2', '42:3', '41:4', ...range(6, 15).map((d) => `${45 - d}:${d}`)].join(' '),
    },
    // C. click on 50, forward 50..99, then reverse from 49: forward results used as memory
    {
      name: 'C reverse f=49',
      frame: 49,
      reverse: true,
      cond: [50],
      nonCond: range(51, 99),
      spatial: '50:6 55:5 54:4 53:3 52:2 51:1',
      pointers: ['50:1', ...range(2, 15).map((d) => `${49 + d}:${d}`)].join(' '),
    },
    // D. 8-frame video: tDiffMax 7, at most 7 non-cond pointers
    {
      name: 'D 8 frames f=7',
      frame: 7,
      cond: [0],
      nonCond: range(1, 6),
      numFrames: 8,
      spatial: '0:6 1:5 2:4 3:3 4:2 5:1 6:0',
      pointers: '0:7 6:1 5:2 4:3 3:4 2:5 1:6',
      tDiffMax: 7,
    },
    // P = 0: the object's only cond frame lies in the future
    { name: 'P=0 future cond', frame: 3, cond: [10], nonCond: [], spatial: '10:6', pointers: '' },
    // missing frames are skipped, not padded
    { name: 'gaps', frame: 10, cond: [0], nonCond: [9, 7, 4], spatial: '0:6 4:5 7:2 9:0', pointers: '0:10 9:1 7:3 4:6' },
    // several cond frames keep insertion order
    { name: 'cond insertion order', frame: 20, cond: [30, 5, 12], nonCond: [19], spatial: '30:6 5:6 12:6 19:0', pointers: '5:15 12:8 19:1' },
    // correction on a cond frame itself: distance 0 pointer
    { name: 'own cond frame', frame: 12, cond: [12], nonCond: [11], spatial: '12:6 11:0', pointers: '12:0 11:1' },
    // the pointer scan stops at the video's edges
    { name: 'reverse near the end', frame: 97, reverse: true, cond: [90], nonCond: [98, 99], spatial: '90:6 99:1 98:0', pointers: '98:1 99:2' },
    { name: 'one-frame video', frame: 0, cond: [0], nonCond: [], numFrames: 1, spatial: '0:6', pointers: '0:0', tDiffMax: 0 },
  ])('$name', (c) => {
    const r = plan(c);
    expect(r.spatial).toBe(c.spatial);
    expect(r.pointers).toBe(c.pointers);
    expect(r.tDiffMax).toBe(c.tDiffMax ?? 15);
  });

  test('num_maskmem sets how many previous frames and which rows', () => {
    expect(plan({ frame: 10, cond: [0], nonCond: range(1, 9), numMaskmem: 3 }).spatial).toBe('0:2 8:1 9:0');
  });
});

describe('max_cond_frames_in_attn', () => {
  test.each([
    { frame: 50, cond: [0, 10, 40, 60, 90], max: -1, selected: [0, 10, 40, 60, 90], unselected: [] },
    { frame: 50, cond: [0, 10, 40, 60, 90], max: 5, selected: [0, 10, 40, 60, 90], unselected: [] },
    { frame: 50, cond: [0, 10, 40, 60, 90], max: 2, selected: [40, 60], unselected: [0, 10, 90] },
    { frame: 50, cond: [0, 10, 40, 60, 90], max: 3, selected: [40, 60, 10], unselected: [0, 90] },
    // a cond frame equal to the current frame counts as "after"
    { frame: 40, cond: [0, 10, 40, 60, 90], max: 2, selected: [10, 40], unselected: [0, 60, 90] },
    // ties in distance keep insertion order
    { frame: 50, cond: [45, 0, 55, 100, 30, 70], max: 4, selected: [45, 55, 30, 70], unselected: [0, 100] },
    { frame: 5, cond: [10, 20, 30], max: 2, selected: [10, 20], unselected: [30] },
  ])('frame $frame, cond $cond, max $max', (c) => {
    expect(selectCondFrames(c.frame, c.cond, c.max)).toEqual({ selected: c.selected, unselected: c.unselected });
  });

  test('unselected cond frames stand in for missing non-cond frames and pointers', () => {
    // selected: 49 (closest before) and 60 (closest after); 0, 40 and 45 are left over
    const r = plan({ frame: 50, cond: [0, 40, 45, 49, 60], nonCond: [48], maxCondFrames: 2 });
    expect(r.spatial).toBe('49:6 60:6 45:4 48:1');
    expect(r.pointers).toBe('49:1 48:2 45:5 40:10');
  });
});

describe('propagation order', () => {
  test.each([
    { start: 0, max: 100, n: 5, reverse: false, order: [0, 1, 2, 3, 4] },
    { start: 2, max: 1, n: 5, reverse: false, order: [2, 3] },
    { start: 2, max: 0, n: 5, reverse: false, order: [2] },
    { start: 4, max: 10, n: 5, reverse: false, order: [4] },
    { start: 3, max: 100, n: 5, reverse: true, order: [3, 2, 1, 0] },
    { start: 3, max: 2, n: 5, reverse: true, order: [3, 2, 1] },
    { start: 0, max: 100, n: 5, reverse: true, order: [] },
  ])('start $start max $max reverse $reverse', (c) => {
    expect(propagationOrder(c.start, c.max, c.n, c.reverse)).toEqual(c.order);
  });
});
