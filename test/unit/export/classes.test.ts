import { describe, expect, it } from 'vitest';
import { buildClassTable, buildMotsIds } from '../../../src-main/core/export/classes';

describe('class table (YOLO index, COCO category)', () => {
  it.each([
    [
      'labels in order of lowest object id',
      [
        { id: 3, label: 'dog' },
        { id: 1, label: 'cat' },
        { id: 2, label: 'dog' },
      ],
      ['cat', 'dog'],
      [
        [1, 0],
        [2, 1],
        [3, 1],
      ],
    ],
    [
      'empty and blank labels become "object"',
      [
        { id: 1, label: '' },
        { id: 2, label: '  ' },
        { id: 5, label: 'car' },
      ],
      ['object', 'car'],
      [
        [1, 0],
        [2, 0],
        [5, 1],
      ],
    ],
    [
      'labels are trimmed, case kept',
      [
        { id: 1, label: ' Car ' },
        { id: 2, label: 'car' },
      ],
      ['Car', 'car'],
      [
        [1, 0],
        [2, 1],
      ],
    ],
  ])('%s', (_n, objects, names, classOf) => {
    const t = buildClassTable(objects);
    expect(t.names).toEqual(names);
    expect([...t.classOf].sort((a, b) => a[0] - b[0])).toEqual(classOf);
  });
});

describe('class table with a project label set', () => {
  it.each([
    [
      'the set first, in its order, used or not',
      [
        { id: 1, label: 'dog' },
        { id: 2, label: 'cat' },
      ],
      ['cat', 'dog', 'bird'],
      ['cat', 'dog', 'bird'],
      [
        [1, 1],
        [2, 0],
      ],
    ],
    [
      'unlabelled objects under "object" after the set',
      [
        { id: 1, label: '' },
        { id: 2, label: 'cat' },
      ],
      ['cat'],
      ['cat', 'object'],
      [
        [1, 1],
        [2, 0],
      ],
    ],
    [
      'labels outside the set after it, by object id',
      [
        { id: 4, label: 'zebra' },
        { id: 2, label: 'cat' },
        { id: 3, label: 'ant' },
      ],
      ['cat'],
      ['cat', 'ant', 'zebra'],
      [
        [2, 0],
        [3, 1],
        [4, 2],
      ],
    ],
    ['blank and repeated set entries ignored', [{ id: 1, label: 'cat' }], [' cat ', '', 'cat'], ['cat'], [[1, 0]]],
  ])('%s', (_n, objects, set, names, classOf) => {
    const t = buildClassTable(objects, set);
    expect(t.names).toEqual(names);
    expect([...t.classOf].sort((a, b) => a[0] - b[0])).toEqual(classOf);
  });
});

describe('MOTS ids', () => {
  it('keeps car = 1 and pedestrian/person = 2, numbers other labels from 3 and skips 10', () => {
    const objects = [
      { id: 1, label: 'person' },
      { id: 2, label: 'car' },
      { id: 3, label: 'person' },
      ...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((label, i) => ({ id: 10 + i, label })),
    ];
    const m = buildMotsIds(objects);
    expect(m.byObject.get(1)).toEqual({ classId: 2, trackId: 2001 });
    expect(m.byObject.get(2)).toEqual({ classId: 1, trackId: 1001 });
    expect(m.byObject.get(3)).toEqual({ classId: 2, trackId: 2002 });
    // a..g take 3..9, h skips the ignore class 10
    expect([...m.classIds.values()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 11]);
    expect(m.byObject.get(17)).toEqual({ classId: 11, trackId: 11001 });
  });

  it('label set labels get MOTS ids in the set order (fixed ids kept)', () => {
    const m = buildMotsIds([{ id: 1, label: 'dog' }], ['cat', 'car', 'dog']);
    expect([...m.classIds]).toEqual([
      ['cat', 3],
      ['car', 1],
      ['dog', 4],
    ]);
    expect(m.byObject.get(1)).toEqual({ classId: 4, trackId: 4001 });
  });

  it('refuses a class with more than 999 instances', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ id: i + 1, label: 'ant' }));
    expect(() => buildMotsIds(many)).toThrow(/999 objects per class; label "ant" has more/);
  });
});
