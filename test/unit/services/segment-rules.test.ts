// Segment everything's decisions in the services, as tables: which proposals a keep names, what
// is left after it, the job and undo labels, the colours of objects made together, and the busy
// rules while a segment job runs.
import { describe, expect, it } from 'vitest';
import type { Proposal } from '../../../src-main/api/contract';
import { busyDecision, busyError, type WorkflowOp } from '../../../src-main/services/workflow/busy-rules';
import { keepLabel } from '../../../src-main/services/workflow/labels';
import { nextObjectColor, nextObjectColors } from '../../../src-main/shared/palette';
import { pickProposals, segmentJobLabel, withoutProposals } from '../../../src-main/services/workflow/segment-rules';

const P = (id: number, area = 100 - id): Proposal => ({
  id,
  area,
  rle: { h: 1, w: 100, counts: [0, area, 100 - area] },
  bbox: [0, 0, area - 1, 0],
  predictedIou: 0.9,
  stabilityScore: 0.9,
  pointCoords: [[1, 0]],
  cropBox: [0, 0, 100, 1],
});
const list = [P(0), P(1), P(3), P(4)];

describe('pickProposals', () => {
  it.each([
    ['one', [3], [3]],
    ['in the order given', [4, 0, 1], [4, 0, 1]],
    ['all', [0, 1, 3, 4], [0, 1, 3, 4]],
  ] as const)('%s', (_n, ids, expected) => {
    expect(pickProposals(list, ids, 7).map((p) => p.id)).toEqual(expected);
  });

  it.each([
    ['nothing named', list, [], 'BAD_ARGS', /args\.proposalIds must name at least one proposal/],
    ['a frame without proposals', [], [0], 'NO_PROPOSALS', /Frame 7 has no proposals: run Segment everything on it first/],
    ['an id twice', list, [1, 3, 1], 'BAD_ARGS', /args\.proposalIds\[2\] names proposal 1 a second time/],
    ['an id that is not there (kept before)', list, [0, 2], 'BAD_ARGS', /args\.proposalIds\[1\]: frame 7 has no proposal 2 \(it has ids 0, 1, 3, 4\)/],
    ['a long list is summarised', Array.from({ length: 20 }, (_, i) => P(i)), [50], 'BAD_ARGS', /it has 20 proposals, ids 0, 1, 2, 3, 4, 5, …/],
  ] as const)('refuses %s', (_n, l, ids, code, message) => {
    expect(() => pickProposals(l, ids, 7)).toThrow(expect.objectContaining({ code, message: expect.stringMatching(message) }));
  });
});

describe('withoutProposals', () => {
  it.each([
    ['some', [1, 4], [0, 3]],
    ['none', [], [0, 1, 3, 4]],
    ['all', [0, 1, 3, 4], []],
    ['ids that are not there change nothing', [9], [0, 1, 3, 4]],
  ] as const)('%s', (_n, ids, rest) => {
    expect(withoutProposals(list, ids).map((p) => p.id)).toEqual(rest);
  });
});

describe('labels', () => {
  it.each([
    [1, 0, 'Keep 1 proposal on frame 0'],
    [5, 12, 'Keep 5 proposals on frame 12'],
  ])('keep %i on frame %i', (n, f, label) => expect(keepLabel(n, f)).toBe(label));
  it.each([
    [{ frame: 3 }, 'Segment everything on frame 3 (32×32 points)'],
    [{ frame: 0, pointsPerSide: 8 }, 'Segment everything on frame 0 (8×8 points)'],
  ])('job %j', (a, label) => expect(segmentJobLabel(a, 32)).toBe(label));
});

describe('nextObjectColors', () => {
  const pal = ['#aa0000', '#00aa00', '#0000aa'];
  it.each([
    ['each takes the next free colour', [], 2, ['#aa0000', '#00aa00']],
    ['used colours are skipped', ['#00AA00'], 2, ['#aa0000', '#0000aa']],
    ['past the palette it repeats', ['#aa0000', '#00aa00'], 3, ['#0000aa', '#aa0000', '#00aa00']],
    ['none', ['#aa0000'], 0, []],
  ] as const)('%s', (_n, used, n, colours) => {
    expect(nextObjectColors(used, n, pal)).toEqual(colours);
  });
  it('is nextObjectColor applied one object at a time', () => {
    const used = ['#e6194b', '#4363d8'];
    const one: string[] = [];
    for (let i = 0; i < 5; i++) one.push(nextObjectColor([...used, ...one]));
    expect(nextObjectColors(used, 5)).toEqual(one);
  });
});

describe('busy rules while segment everything runs', () => {
  const ops: WorkflowOp[] = [
    'prompt',
    'history',
    'objects.add',
    'objects.update',
    'objects.remove',
    'propagate',
    'models.select',
    'export',
    'relocate',
    'segment',
  ];
  it.each([
    ['segment', ['refuse', 'refuse', 'run', 'run', 'cancel-then-run', 'refuse', 'refuse', 'run', 'refuse', 'refuse']],
    ['propagate', ['refuse', 'refuse', 'run', 'run', 'cancel-then-run', 'refuse', 'refuse', 'run', 'refuse', 'refuse']],
    ['export', ops.map(() => 'run')],
  ])('while %s runs', (kind, expected) => {
    expect(ops.map((op) => busyDecision(op, { kind }))).toEqual(expected);
  });
  it('says what runs', () => {
    expect(busyError({ kind: 'segment', jobId: 'j' })).toMatchObject({
      code: 'BUSY',
      message: 'segment everything is running — wait or cancel it.',
      details: { jobId: 'j', kind: 'segment' },
    });
  });
});
