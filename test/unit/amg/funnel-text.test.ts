// The funnel in words and the threshold proposal after an empty run (src-main/shared/amg-funnel.ts).
import { describe, expect, test } from 'vitest';
import type { AmgFilter, AmgFunnel } from '../../../src-main/api/contract';
import { emptyReason, emptyingStage, funnelText, passingThreshold, proposeThresholds, runThresholds } from '../../../src-main/shared/amg-funnel';

/** A chained funnel from [filter, threshold, kept, best?] rows. */
function funnel(candidates: number, rows: [AmgFilter, number | null, number, (number | null)?][]): AmgFunnel {
  let input = candidates;
  const stages = rows.map(([filter, threshold, kept, best]) => {
    const s = { filter, threshold, input, kept, best: best ?? null };
    input = kept;
    return s;
  });
  return { candidates, stages };
}

const DEFAULTS = { predIouThresh: 0.8, stabilityScoreThresh: 0.95 };

describe('funnelText', () => {
  test.each([
    [
      funnel(256, [
        ['predIou', 0.88, 12],
        ['stability', 0.95, 3],
        ['boxNms', 0.7, 2],
      ]),
      '256 candidates → IoU 0.88 kept 12 → stability 0.95 kept 3 → NMS kept 2',
    ],
    [
      funnel(3072, [
        ['predIou', 0.8, 0, 0.61],
        ['stability', 0.95, 0],
        ['boxNms', 0.7, 0],
      ]),
      '3,072 candidates → IoU 0.8 kept 0 → stability 0.95 kept 0 → NMS kept 0',
    ],
    [funnel(1, [['boxNms', 0.7, 1]]), '1 candidate → NMS kept 1'],
    [
      funnel(960, [
        ['predIou', 0.8, 40],
        ['stability', 0.9, 30],
        ['cropEdge', null, 22],
        ['boxNms', 0.7, 12],
        ['cropNms', 0.7, 9],
        ['smallRegions', 100, 8],
      ]),
      '960 candidates → IoU 0.8 kept 40 → stability 0.9 kept 30 → crop edge kept 22 → NMS kept 12 → crop NMS kept 9 → small regions kept 8',
    ],
  ])('%#: %s', (f, text) => expect(funnelText(f)).toBe(text));
});

describe('why nothing was proposed', () => {
  test.each([
    [
      'something survived',
      funnel(30, [
        ['predIou', 0.8, 3, 0.9],
        ['boxNms', 0.7, 1],
      ]),
      null,
      null,
    ],
    [
      'IoU removed all',
      funnel(3072, [
        ['predIou', 0.8, 0, 0.6123],
        ['stability', 0.95, 0],
        ['boxNms', 0.7, 0],
      ]),
      'predIou',
      'The predicted-IoU filter at 0.8 removed all 3,072 masks that reached it (the best predicted IoU was 0.612).',
    ],
    [
      'stability removed all',
      funnel(300, [
        ['predIou', 0.5, 12, 0.7],
        ['stability', 0.95, 0, 0.4],
        ['boxNms', 0.7, 0],
      ]),
      'stability',
      'The stability filter at 0.95 removed all 12 masks that reached it (the best stability was 0.4).',
    ],
    [
      'the crop edge removed all',
      funnel(20, [
        ['cropEdge', null, 0],
        ['boxNms', 0.7, 0],
        ['cropNms', 0.7, 0],
      ]),
      'cropEdge',
      'The crop-edge rule removed all 20 masks that reached it.',
    ],
    ['no masks decoded', funnel(0, [['boxNms', 0.7, 0]]), null, 'The decoder gave no masks.'],
  ])('%s', (_, f, stage, reason) => {
    expect(emptyingStage(f)?.filter ?? null).toBe(stage);
    expect(emptyReason(f)).toBe(reason);
  });
});

describe('passingThreshold: the highest 0.05 step the best score passes', () => {
  test.each([
    // best, current, strict (IoU: >), want
    [0.6123, 0.8, true, 0.6],
    [0.6123, 0.95, false, 0.6],
    [0.3, 0.8, true, 0.25], // IoU is strict: 0.3 > 0.3 is false
    [Math.fround(0.35), 0.8, true, 0.3], // float32 0.35 is not above float32 0.35
    [0.35, 0.95, false, 0.35], // stability is inclusive
    [0.049, 0.8, true, 0], // never below 0 (0 = the filter off)
    [0.0, 0.5, true, 0],
    [null, 0.8, true, 0.7], // nothing reached the filter: one step of 0.1
    [null, 0.05, false, 0],
  ])('best %s, current %s, strict %s → %s', (best, current, strict, want) => {
    const got = passingThreshold(best, current, strict);
    expect(got).toBe(want);
    // the proposal lets the best score through, as the generator compares (float32)
    if (best !== null && got > 0) expect(strict ? best > Math.fround(got) : best >= Math.fround(got)).toBe(true);
  });
});

describe('proposeThresholds', () => {
  test.each([
    [
      'IoU removed all: lower IoU only',
      funnel(3072, [
        ['predIou', 0.8, 0, 0.6123],
        ['stability', 0.95, 0],
        ['boxNms', 0.7, 0],
      ]),
      DEFAULTS,
      { predIouThresh: 0.6, stabilityScoreThresh: 0.95 },
    ],
    [
      'stability removed all: lower stability only',
      funnel(300, [
        ['predIou', 0.6, 12, 0.7],
        ['stability', 0.95, 0, 0.42],
        ['boxNms', 0.7, 0],
      ]),
      { predIouThresh: 0.6, stabilityScoreThresh: 0.95 },
      { predIouThresh: 0.6, stabilityScoreThresh: 0.4 },
    ],
    [
      'something survived',
      funnel(30, [
        ['predIou', 0.8, 3, 0.9],
        ['boxNms', 0.7, 1],
      ]),
      DEFAULTS,
      null,
    ],
    [
      'the crop edge removed all: lowering cannot help',
      funnel(20, [
        ['cropEdge', null, 0],
        ['boxNms', 0.7, 0],
      ]),
      DEFAULTS,
      null,
    ],
    [
      'no masks at all',
      funnel(0, [
        ['predIou', 0.8, 0],
        ['boxNms', 0.7, 0],
      ]),
      DEFAULTS,
      null,
    ],
  ])('%s', (_, f, current, want) => expect(proposeThresholds(f, current)).toEqual(want));
});

describe('runThresholds: the quality thresholds a run used, from its funnel', () => {
  test.each([
    [
      funnel(30, [
        ['predIou', 0.8, 3],
        ['stability', 0.95, 1],
        ['boxNms', 0.7, 1],
      ]),
      { predIouThresh: 0.8, stabilityScoreThresh: 0.95 },
    ],
    [
      funnel(30, [
        ['stability', 0.9, 1],
        ['boxNms', 0.7, 1],
      ]),
      { predIouThresh: 0, stabilityScoreThresh: 0.9 },
    ],
    [funnel(30, [['boxNms', 0.7, 1]]), { predIouThresh: 0, stabilityScoreThresh: 0 }],
  ])('%#', (f, want) => expect(runThresholds(f)).toEqual(want));
});
