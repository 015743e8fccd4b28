import { describe, expect, it } from 'vitest';
import { frameFilePath, parseFrameRef } from '../../../src-main/services/frame-request';

const key = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

describe('parseFrameRef', () => {
  const cases: [string, { key: string; frame: number } | null][] = [
    [`${key}/0`, { key, frame: 0 }],
    [`${key}/12.jpg`, { key, frame: 12 }],
    [`${key}/99999`, { key, frame: 99999 }],
    [`${key}/012`, null],
    [`${key}/-1`, null],
    [`${key}/1.5`, null],
    [`${key}/1e3`, null],
    [`${key}/12.png`, null],
    [`${key}/`, null],
    [`${key}`, null],
    [`${key}/1/2`, null],
    [`${key.toUpperCase()}/1`, null],
    [`../${key}/1`, null],
    [`${key}/..`, null],
    ['abc/1', null],
    [`${key}/1234567890`, null],
  ];
  it.each(cases)('%s', (rest, expected) => expect(parseFrameRef(rest)).toEqual(expected));
});

describe('frameFilePath', () => {
  const name = (i: number) => `${String(i).padStart(5, '0')}.jpg`;
  const cases: [string, { key: string; frame: number }, number, ((i: number) => string) | undefined, string | null][] = [
    ['a written frame', { key, frame: 3 }, 10, undefined, `/data/frames/${key}/00003.jpg`],
    ['the last written frame', { key, frame: 9 }, 10, undefined, `/data/frames/${key}/00009.jpg`],
    ['a frame not written yet', { key, frame: 10 }, 10, undefined, null],
    ['nothing written yet', { key, frame: 0 }, 0, undefined, null],
    ['negative frame', { key, frame: -1 }, 10, undefined, null],
    ['bad key', { key: '../../etc', frame: 1 }, 10, undefined, null],
    ['a file name that would escape', { key, frame: 1 }, 10, () => '../other/00001.jpg', null],
    ['a file name that is the folder', { key, frame: 1 }, 10, () => '.', null],
  ];
  it.each(cases)('%s', (_n, ref, ready, fileName, expected) => {
    expect(frameFilePath('/data/frames', ref, ready, fileName ?? name)).toBe(expected);
  });
});
