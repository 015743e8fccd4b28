// The hover tip over a segment-everything proposal: its text (label + confidence, predicted IoU)
// and where it goes (lib/proposal-hover.ts), as tables.
import { describe, expect, it } from 'vitest';
import type { ProposalLabel } from '../../../src-main/api/contract';
import { percent, proposalHoverText, tipPlacement } from '../../../src-renderer/src/lib/proposal-hover';

const p = { id: 4, predictedIou: 0.9312, stabilityScore: 0.951 };
const label = (top: [string, number][]): ProposalLabel => ({
  proposalId: 4,
  label: top[0]![0],
  confidence: top[0]![1],
  top: top.map(([l, q]) => ({ label: l, probability: q })),
});

describe('proposalHoverText', () => {
  it.each([
    ['before labelling: the id and the scores', undefined, { title: 'Proposal #4', detail: 'IoU 0.93 · stability 0.95 · not labelled' }],
    [
      'labelled: label and confidence, the runner-up',
      label([
        ['white square', 0.8723],
        ['red circle', 0.1001],
        ['dark background', 0.0276],
      ]),
      { title: 'white square · 87.2 %', detail: 'IoU 0.93 · stability 0.95 · then red circle 10.0 %' },
    ],
    ['a one-label set: no runner-up', label([['cat', 1]]), { title: 'cat · 100.0 %', detail: 'IoU 0.93 · stability 0.95' }],
  ])('%s', (_n, l, expected) => {
    expect(proposalHoverText(p, l)).toEqual(expected);
  });

  it.each([
    [0, '0.0 %'],
    [0.00049, '0.0 %'],
    [0.5, '50.0 %'],
    [0.99951, '100.0 %'],
  ])('percent(%f) = %s', (v, s) => {
    expect(percent(v)).toBe(s);
  });
});

describe('tipPlacement', () => {
  it.each([
    ['room below right', [100, 100], { left: 114, top: 114 }],
    ['near the right edge: to the left', [950, 100], { left: 786, top: 114 }],
    ['near the bottom: above', [100, 580], { left: 114, top: 526 }],
    ['bottom right corner: above left', [990, 590], { left: 826, top: 536 }],
    ['a view smaller than the tip: pinned to the top left', [5, 5], { left: 19, top: 19 }],
  ] as const)('%s', (_n, [x, y], expected) => {
    expect(tipPlacement(x, y, 150, 40, 1000, 600)).toEqual(expected);
  });
  it('never off the top/left edge', () => {
    expect(tipPlacement(20, 20, 150, 40, 100, 50)).toEqual({ left: 0, top: 0 });
  });
});
