// Undo and redo of one history entry on the database (one transaction), and what the engine must
// do to follow; and forgetting entries that can no longer be reached.
import type { Cell, ProjectStore } from '../../core/store';
import type { DroppedEntries, UndoEntry } from './history';

/** How the engine follows a database change: re-import some cells or an object, or drop an object. */
export type EngineFollowUp = { cells: Cell[] } | { restoreObject: number } | { dropObject: number } | null;

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
        return { dropObject: e.objectId };
      }
      s.objects.restore(e.objectId);
      return null;
    case 'object-update':
      s.objects.update(e.objectId, undo ? e.before : e.after);
      return null;
    case 'object-remove':
      if (undo) {
        s.objects.restore(e.objectId);
        return { restoreObject: e.objectId };
      }
      s.objects.remove(e.objectId);
      return { dropObject: e.objectId };
  }
}

/** Entries that can no longer be reached: their cells go, and objects only they could bring back. */
export function discardEntries(s: ProjectStore, d: DroppedEntries): void {
  s.transaction(() => {
    s.undoCells.drop([...d.redoBranch, ...d.overflow].filter((e) => e.kind === 'cells').map((e) => e.id));
    if (d.redoBranch.length) s.promptCalls.dropUndone();
    for (const e of d.redoBranch) if (e.kind === 'object-add') s.objects.purge(e.objectId);
    for (const e of d.overflow) if (e.kind === 'object-remove' && s.objects.getRow(e.objectId)?.deleted) s.objects.purge(e.objectId);
  });
}
