import { describe, expect, it } from 'vitest';
import { classifyRelease, clipBox, dragKind, pansImmediately, type ReleaseInfo } from '../../../src-renderer/src/lib/gesture';

const rel = (o: Partial<ReleaseInfo>): ReleaseInfo => ({
  button: 0,
  altKey: false,
  dx: 0,
  dy: 0,
  start: [50, 40],
  end: [50, 40],
  width: 320,
  height: 240,
  ...o,
});

describe('classifyRelease', () => {
  const cases: [string, Partial<ReleaseInfo>, ReturnType<typeof classifyRelease>][] = [
    ['left click = positive point', {}, { type: 'point', label: 1, x: 50, y: 40 }],
    ['a 3 px jitter is still a click', { dx: 3, dy: 3, end: [51, 41] }, { type: 'point', label: 1, x: 51, y: 41 }],
    ['right click = negative point', { button: 2 }, { type: 'point', label: 0, x: 50, y: 40 }],
    ['Alt+click = negative point', { altKey: true }, { type: 'point', label: 0, x: 50, y: 40 }],
    ['Shift+click is still a positive point', { shiftKey: true }, { type: 'point', label: 1, x: 50, y: 40 }],
    ['middle click does nothing', { button: 1 }, { type: 'none' }],
    ['Ctrl+click (macOS context click) does nothing', { ctrlKey: true }, { type: 'none' }],
    ['Cmd+click does nothing', { metaKey: true }, { type: 'none' }],
    ['a click outside the video does nothing', { end: [-1, 40] }, { type: 'none' }],
    ['a click on the right edge pixel counts', { end: [319.5, 40] }, { type: 'point', label: 1, x: 319.5, y: 40 }],
    ['a click just past the right edge does nothing', { end: [320, 40] }, { type: 'none' }],
    ['left drag = box, corners ordered', { dx: 40, dy: 30, start: [100, 90], end: [60, 50] }, { type: 'box', box: [60, 50, 100, 90] }],
    ['a box dragged past the video is clipped', { dx: 80, dy: 80, start: [300, 200], end: [400, 300] }, { type: 'box', box: [300, 200, 320, 240] }],
    ['a drag that is a thin line is no box', { dx: 40, dy: 0, start: [10, 10], end: [50, 11] }, { type: 'none' }],
    ['Alt+drag pans, never a box', { altKey: true, dx: 40, dy: 40, end: [90, 80] }, { type: 'none' }],
    ['right drag does nothing', { button: 2, dx: 40, dy: 40, end: [90, 80] }, { type: 'none' }],
    ['middle drag pans', { button: 1, dx: 40, dy: 40 }, { type: 'none' }],
  ];
  it.each(cases)('%s', (_n, input, expected) => expect(classifyRelease(rel(input))).toEqual(expected));
});

describe('dragKind / pansImmediately', () => {
  const cases: [string, Parameters<typeof dragKind>[0], string, boolean][] = [
    ['left', { button: 0, altKey: false }, 'box', false],
    ['Alt+left', { button: 0, altKey: true }, 'pan', false],
    ['middle', { button: 1, altKey: false }, 'pan', true],
    ['right', { button: 2, altKey: false }, 'none', false],
    ['Ctrl+left', { button: 0, altKey: false, ctrlKey: true }, 'none', false],
  ];
  it.each(cases)('%s → %s', (_n, p, kind, immediate) => {
    expect(dragKind(p)).toBe(kind);
    expect(pansImmediately(p)).toBe(immediate);
  });
});

describe('clipBox', () => {
  it('returns null when clipping leaves less than the minimum side', () => {
    expect(clipBox([-50, -50], [1, 100], 320, 240)).toBeNull();
  });
  it('keeps a box fully inside untouched', () => {
    expect(clipBox([10, 20], [30, 60], 320, 240)).toEqual([10, 20, 30, 60]);
  });
});
