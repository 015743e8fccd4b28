import { describe, expect, test } from 'vitest';
import type { PreencodeStatus } from '../../../src-main/api/contract';
import { DEFAULT_PREENCODE, parsePreencodeSettings, preencodeLabel } from '../../../src-renderer/src/lib/preencode-view';

const st = (p: Partial<PreencodeStatus>): PreencodeStatus => ({
  enabled: true,
  window: 4,
  frame: 10,
  ready: false,
  encoding: null,
  done: 0,
  total: 9,
  full: false,
  ...p,
});

describe('preencodeLabel: the status bar word for the frame on screen', () => {
  test.each<[string, PreencodeStatus | null, number, boolean, ReturnType<typeof preencodeLabel>]>([
    ['setting off', st({ ready: true }), 10, false, 'pre-encoding off'],
    ['no report yet', null, 10, true, null],
    ['resting frame cached', st({ ready: true }), 10, true, 'frame ready'],
    ['resting frame being encoded', st({ encoding: 10 }), 10, true, 'encoding'],
    ['playhead moved on, not rested yet', st({ ready: true }), 11, true, 'encoding'],
  ])('%s', (_n, status, current, enabled, want) => {
    expect(preencodeLabel(status, current, enabled)).toBe(want);
  });
});

describe('parsePreencodeSettings: a saved setting repaired field by field', () => {
  test.each<[unknown, { enabled: boolean; window: number }]>([
    [null, DEFAULT_PREENCODE],
    ['x', DEFAULT_PREENCODE],
    [{ enabled: false }, { enabled: false, window: 4 }],
    [
      { enabled: 'no', window: 8 },
      { enabled: true, window: 8 },
    ],
    [{ window: -1 }, DEFAULT_PREENCODE],
    [{ window: 2.5 }, DEFAULT_PREENCODE],
    [{ window: 65 }, DEFAULT_PREENCODE],
    [
      { enabled: true, window: 0 },
      { enabled: true, window: 0 },
    ],
  ])('%j → %j', (raw, want) => {
    expect(parsePreencodeSettings(raw)).toEqual(want);
  });
});
