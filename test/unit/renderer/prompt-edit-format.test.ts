import { describe, expect, it } from 'vitest';
import type { PromptInfo } from '../../../src-main/api/contract';
import { applyPrompt, cycleIndex, framePrompt, promptCall, removePrompt } from '../../../src-renderer/src/lib/prompt-edit';
import { formatBytes, formatEta, formatMs, jobDetail } from '../../../src-renderer/src/lib/format';

const existing: PromptInfo[] = [
  { objectId: 1, frame: 4, points: [[10, 20]], labels: [1], box: null, hasMask: true },
  { objectId: 2, frame: 4, points: [[50, 60]], labels: [1], box: [1, 2, 30, 40], hasMask: true },
];

describe("promptCall: every call carries the frame's whole prompt", () => {
  const cases: [string, number, number, Parameters<typeof promptCall>[3], ReturnType<typeof promptCall>][] = [
    [
      'first click on a new frame',
      1,
      9,
      { type: 'point', label: 1, x: 5.123, y: 6 },
      { objectId: 1, frame: 9, points: [[5.12, 6]], labels: [1], clearOld: true },
    ],
    [
      "a negative click adds to the frame's points",
      1,
      4,
      { type: 'point', label: 0, x: 11, y: 21 },
      {
        objectId: 1,
        frame: 4,
        points: [
          [10, 20],
          [11, 21],
        ],
        labels: [1, 0],
        clearOld: true,
      },
    ],
    [
      "a click keeps the frame's box",
      2,
      4,
      { type: 'point', label: 1, x: 7, y: 8 },
      {
        objectId: 2,
        frame: 4,
        points: [
          [50, 60],
          [7, 8],
        ],
        labels: [1, 1],
        box: [1, 2, 30, 40],
        clearOld: true,
      },
    ],
    [
      'a box replaces the box and keeps the points',
      2,
      4,
      { type: 'box', box: [5, 5, 50, 50] },
      { objectId: 2, frame: 4, points: [[50, 60]], labels: [1], box: [5, 5, 50, 50], clearOld: true },
    ],
    ['nothing for no gesture', 1, 4, { type: 'none' }, null],
  ];
  it.each(cases)('%s', (_n, obj, frame, g, want) => expect(promptCall(existing, obj, frame, g)).toEqual(want));

  it('does not mutate the prompts it read', () => {
    const copy = JSON.parse(JSON.stringify(existing));
    promptCall(existing, 1, 4, { type: 'point', label: 1, x: 1, y: 1 });
    expect(existing).toEqual(copy);
  });

  it("applyPrompt replaces that frame's prompt only; removePrompt drops it", () => {
    const call = promptCall(existing, 1, 4, { type: 'point', label: 0, x: 11, y: 21 })!;
    const after = applyPrompt(existing, call, true);
    expect(framePrompt(after, 1, 4)).toEqual({
      points: [
        [10, 20],
        [11, 21],
      ],
      labels: [1, 0],
      box: null,
    });
    expect(framePrompt(after, 2, 4).box).toEqual([1, 2, 30, 40]);
    expect(after).toHaveLength(2);
    expect(framePrompt(removePrompt(after, 1, 4), 1, 4)).toEqual({ points: [], labels: [], box: null });
  });
});

describe('cycleIndex', () => {
  const cases: [number, number, 1 | -1, number][] = [
    [0, 3, 1, 1],
    [2, 3, 1, 0],
    [0, 3, -1, 2],
    [1, 3, -1, 0],
    [0, 0, 1, 0],
  ];
  it.each(cases)('%s of %s by %s → %s', (c, n, by, want) => expect(cycleIndex(c, n, by)).toBe(want));
});

describe('format', () => {
  const bytes: [number, string][] = [
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [155 * 1024 * 1024, '155 MiB'],
    [2.5 * 1024 ** 3, '2.5 GiB'],
    [-1, '?'],
  ];
  it.each(bytes)('formatBytes(%s) = %s', (n, s) => expect(formatBytes(n)).toBe(s));
  const eta: [number, string][] = [
    [0.2, '1 s left'],
    [42, '42 s left'],
    [61, '2 min left'],
    [3 * 3600 + 61, '3 h 2 min left'],
    [-1, ''],
  ];
  it.each(eta)('formatEta(%s) = %s', (n, s) => expect(formatEta(n)).toBe(s));
  it('formatMs', () => {
    expect(formatMs(87.4)).toBe('87 ms');
    expect(formatMs(1234)).toBe('1.2 s');
    expect(formatMs(12_345)).toBe('12 s');
  });
  it('jobDetail shows counts, rate and ETA while running', () => {
    expect(jobDetail({ done: 12, total: 120, unit: 'frames', rate: 3.42, etaSec: 31.6, state: 'running' })).toBe('12 / 120 frames · 3.4 frames/s · 32 s left');
    expect(jobDetail({ done: 120, total: 120, unit: 'frames', rate: 3, etaSec: 0, state: 'done' })).toBe('120 / 120 frames · done');
    expect(jobDetail({ done: 0, total: 0, unit: 'files', rate: null, etaSec: null, state: 'queued' })).toBe('0 files · waiting');
  });
  it('jobDetail shows byte jobs in binary units', () => {
    expect(jobDetail({ done: 2 * 1024 ** 2, total: 8 * 1024 ** 2, unit: 'bytes', rate: 4 * 1024 ** 2, etaSec: 1.5, state: 'running' })).toBe(
      '2.0 MiB / 8.0 MiB · 4.0 MiB/s · 2 s left',
    );
    expect(jobDetail({ done: 1536, total: 8 * 1024 ** 2, unit: 'bytes', rate: null, etaSec: null, state: 'cancelled' })).toBe('1.5 KiB / 8.0 MiB · cancelled');
    expect(jobDetail({ done: 0, total: 0, unit: 'bytes', rate: null, etaSec: null, state: 'queued' })).toBe('0 B · waiting');
  });
});
