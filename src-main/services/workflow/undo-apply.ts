// Undo and redo of one history entry on the database (one transaction), and what the engine must
// do to follow; forgetting entries that can no longer be reached; the start of a new session.
import type { Cell, ProjectStore } from '../../core/store';
import { parseEntry, type DroppedEntries, type UndoEntry } from './history';

/** How the engine follows a database change: re-import some cells or objects, or drop objects. */
export type EngineFollowUp = { cells: Cell[] } | { restoreObjects: number[] } | { dropObjects: number[] } | null;

export function applyEntry(s: ProjectStore, e: UndoEntry, dir: 'undo' | 'redo'): EngineFollowUp {
  const undo = dir === 'undo';
  switch (e.kind) {
    case 'cells': {
      const cells = s.transaction(() => {
        // the state after the action, for a later redo
        if (undo) s.undoCells.capture(e.id, 1, s.undoCells.cells(e.id));
        s.promptCalls.setUndone(e.id, undo);
        return s.undoCells.restore(e.id, undo ? 0 : 1);
      });
      return { cells };
    }
    case 'object-add':
      if (undo) {
        s.objects.remove(e.objectId);
        return { dropObjects: [e.objectId] };
      }
      s.objects.restore(e.objectId);
      return null;
    case 'objects-add':
      // the objects keep their prompts and masks while soft-deleted, so redo brings them back whole
      s.transaction(() => {
        for (const id of e.objectIds) {
          if (undo) s.objects.remove(id);
          else s.objects.restore(id);
        }
        s.promptCalls.setUndone(e.id, undo);
      });
      return undo ? { dropObjects: e.objectIds } : { restoreObjects: e.objectIds };
    case 'object-update':
      s.objects.update(e.objectId, undo ? e.before : e.after);
      return null;
    case 'object-remove':
      if (undo) {
        s.objects.restore(e.objectId);
        return { restoreObjects: [e.objectId] };
      }
      s.objects.remove(e.objectId);
      return { dropObjects: [e.objectId] };
  }
}

/** Entries that can no longer be reached: their cells go, and objects only they could bring back. */
export function discardEntries(s: ProjectStore, d: DroppedEntries): void {
  s.transaction(() => {
    s.undoCells.drop([...d.redoBranch, ...d.overflow].filter((e) => e.kind === 'cells').map((e) => e.id));
    if (d.redoBranch.length) s.promptCalls.dropUndone();
    for (const e of d.redoBranch) {
      if (e.kind === 'object-add') s.objects.purge(e.objectId);
      if (e.kind === 'objects-add') for (const id of e.objectIds) s.objects.purge(id);
    }
    for (const e of d.overflow) if (e.kind === 'object-remove' && s.objects.getRow(e.objectId)?.deleted) s.objects.purge(e.objectId);
  });
}

/**
 * A new session goes on with the saved history (issue 13): its entries keep their cells, undone
 * prompt calls and soft-deleted objects; whatever no saved entry can reach any more goes.
 */
export function startSession(s: ProjectStore): { undo: UndoEntry[]; redo: UndoEntry[] } {
  const saved = s.undoEntries.load();
  const undo = saved.undo.map(parseEntry).filter((e): e is UndoEntry => e !== null);
  const redo = saved.redo.map(parseEntry).filter((e): e is UndoEntry => e !== null);
  const ids = [...undo, ...redo].map((e) => e.id);
  // objects a saved entry can bring back: deleted ones (undo of a delete, redo of an add)
  const objects = [...undo, ...redo].flatMap((e) => ('objectIds' in e ? e.objectIds : 'objectId' in e ? [e.objectId] : []));
  s.transaction(() => {
    s.undoCells.clear(ids);
    s.promptCalls.dropUndone(redo.map((e) => e.id));
    s.promptCalls.detachEntries(ids);
    s.objects.purgeDeleted(objects);
    s.runs.markInterrupted();
  });
  return { undo, redo };
}
