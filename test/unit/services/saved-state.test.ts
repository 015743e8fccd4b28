// Issue 13 (8): what a reopened project reads back — the saved view and the saved undo entries —
// is checked, and anything damaged or foreign is left out rather than failing the open.
import { describe, expect, it } from 'vitest';
import { readSavedView } from '../../../src-main/services/saved-view';
import { parseEntry } from '../../../src-main/services/workflow/history';

describe('readSavedView', () => {
  it.each([
    ['a full view', { frame: 5, zoom: { scale: 2, tx: -10, ty: 3.5 }, objectId: 2 }, { frame: 5, zoom: { scale: 2, tx: -10, ty: 3.5 }, objectId: 2 }],
    ['fitted, nothing selected', { frame: 0, zoom: null, objectId: null }, { frame: 0, zoom: null, objectId: null }],
    ['a bad object id is dropped, the rest kept', { frame: 3, zoom: null, objectId: -1 }, { frame: 3, zoom: null, objectId: null }],
    ['no frame', { zoom: null, objectId: 1 }, null],
    ['a negative frame', { frame: -1, zoom: null, objectId: 1 }, null],
    ['a zero scale', { frame: 1, zoom: { scale: 0, tx: 0, ty: 0 }, objectId: null }, null],
    ['a string', 'x', null],
    ['null (never saved)', null, null],
  ] as const)('%s', (_n, v, out) => {
    expect(readSavedView(v)).toEqual(out);
  });
});

describe('parseEntry', () => {
  it.each([
    ['cells', { kind: 'cells', id: 4, label: 'Add point on frame 1', objectIds: [1] }, true],
    ['object-update', { kind: 'object-update', id: 5, label: 'Rename A', objectId: 1, before: { name: 'a' }, after: { name: 'b' } }, true],
    ['object-remove', { kind: 'object-remove', id: 6, label: 'Delete A', objectId: 1 }, true],
    ['objects-add with a bad id', { kind: 'objects-add', id: 7, label: 'Keep 2', objectIds: [1, 0] }, false],
    ['an unknown kind', { kind: 'teleport', id: 8, label: 'x' }, false],
    ['no label', { kind: 'object-add', id: 9, objectId: 1 }, false],
    ['not an object', 42, false],
  ] as const)('%s', (_n, v, ok) => {
    expect(parseEntry(v)).toEqual(ok ? v : null);
  });
});
