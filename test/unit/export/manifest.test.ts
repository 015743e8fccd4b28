import { describe, expect, it } from 'vitest';
import { foreignEntries, listNames, type FoundEntry, type Manifest } from '../../../src-main/core/export/manifest';

const ours: Manifest = new Map([
  ['coco.json', { size: 10, mtimeMs: 1000 }],
  ['masks/1/00000.png', { size: 5, mtimeMs: 2000 }],
]);
const file = (path: string, size: number, mtimeMs: number): FoundEntry => ({ path, kind: 'file', size, mtimeMs });
const dir = (path: string): FoundEntry => ({ path, kind: 'dir', size: 0, mtimeMs: 0 });

describe('foreignEntries: what an export may not replace', () => {
  it.each<[string, FoundEntry[], string[]]>([
    ['our file as we left it', [file('coco.json', 10, 1000)], []],
    ['our file, mtime within 1 ms (file systems round)', [file('coco.json', 10, 1000.9)], []],
    ['our file edited since (size)', [file('coco.json', 11, 1000)], ['coco.json']],
    ['our file edited since (mtime)', [file('coco.json', 10, 5000)], ['coco.json']],
    ['a file we never wrote', [file('mots.txt', 1, 1)], ['mots.txt']],
    ['our folders and file', [dir('masks'), dir('masks/1'), file('masks/1/00000.png', 5, 2000)], []],
    [
      'a user file in our folder',
      [dir('masks'), dir('masks/1'), file('masks/1/00000.png', 5, 2000), file('masks/important.txt', 3, 9)],
      ['masks/important.txt'],
    ],
    ['an empty folder of the user in ours', [dir('masks'), dir('masks/2')], ['masks/2/']],
    ['a symlink or device where our file was', [{ path: 'coco.json', kind: 'other', size: 10, mtimeMs: 1000 }], ['coco.json']],
  ])('%s', (_name, found, foreign) => {
    expect(foreignEntries(found, ours)).toEqual(foreign);
  });

  it('with no manifest everything found is foreign', () => {
    expect(foreignEntries([dir('yolo'), file('yolo/a.txt', 1, 1)], new Map())).toEqual(['yolo/', 'yolo/a.txt']);
  });

  it('lists at most a handful of names', () => {
    expect(listNames(['a', 'b', 'c'], 2)).toBe('a, b and 1 more');
    expect(listNames(['a', 'b'], 2)).toBe('a, b');
  });
});
