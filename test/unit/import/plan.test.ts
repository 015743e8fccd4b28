// The pure decisions of an import: object mapping (by id, then name, else new; locked refused),
// the frames kept as prompts, and the mask subtraction of exclusive edits.
import { describe, expect, it } from 'vitest';
import { mapObjects, pickFrames, type FramePick } from '../../../src-main/core/import';
import { subtractMask } from '../../../src-main/core/masks/mask-ops';
import type { ObjectInfo } from '../../../src-main/api/contract';

const obj = (id: number, name: string, locked = false): ObjectInfo => ({ id, name, color: '#ff0000', label: '', hidden: false, locked });

describe('mapObjects', () => {
  const existing = [obj(1, 'cat'), obj(2, 'dog'), obj(5, 'Object 5', true)];
  it.each([
    ['an id that exists', { key: 'a', id: 2, name: null, label: 'x' }, { kind: 'existing', id: 2 }],
    ['id wins over name', { key: 'a', id: 1, name: 'dog', label: null }, { kind: 'existing', id: 1 }],
    ['an unknown id, a known name', { key: 'a', id: 9, name: 'dog', label: null }, { kind: 'existing', id: 2 }],
    ['unknown both: new, named and labelled', { key: 'a', id: 9, name: 'horse', label: 'animal' }, { kind: 'new', name: 'horse', label: 'animal' }],
    ['no name: the default name', { key: 'a', id: null, name: null, label: null }, { kind: 'new', name: undefined, label: '' }],
  ] as const)('%s', (_n, src, target) => {
    expect(mapObjects([src], existing).get('a')).toEqual(target);
  });
  it('a locked target is refused with LOCKED', () => {
    expect(() => mapObjects([{ key: 'a', id: 5, name: null, label: null }], existing)).toThrow(expect.objectContaining({ code: 'LOCKED' }));
  });
});

describe('pickFrames', () => {
  it.each([
    ['all', [3, 4, 9, 10, 11], [3, 4, 9, 10, 11]],
    ['first', [3, 4, 9], [3]],
    [{ every: 2 }, [3, 4, 9, 10, 11], [3, 9, 11]],
    [{ every: 10 }, [0, 1, 2], [0]],
    ['first', [], []],
  ] as [FramePick, number[], number[]][])('%j of %j', (pick, frames, kept) => {
    expect(pickFrames(frames, pick)).toEqual(kept);
  });
  it('every must be a positive whole number', () => {
    expect(() => pickFrames([1], { every: 0 })).toThrow(/positive whole number/);
  });
});

describe('subtractMask', () => {
  it.each([
    ['overlap: the rest', [1, 1, 0, 1], [0, 1, 1, 0], [1, 0, 0, 1]],
    ['no overlap: null (nothing to change)', [1, 0, 0, 0], [0, 1, 1, 0], null],
    ['fully covered: empty', [1, 1, 0, 0], [1, 1, 1, 0], [0, 0, 0, 0]],
  ] as [string, number[], number[], number[] | null][])('%s', (_n, a, b, out) => {
    const r = subtractMask(Uint8Array.from(a), Uint8Array.from(b));
    expect(r ? Array.from(r) : null).toEqual(out);
  });
});
