// The undo/redo stacks of the project (issue 13: they survive closing and reopening it). The
// entries are the workflow's small JSON descriptions (label, kind, ids); their bulky part, the
// cells' before/after content, is in undo_cells. Written whole after each change: at most 2 × 100
// short rows, one transaction.
import type Database from 'better-sqlite3';
import { writing } from './errors';

export interface SavedStacks {
  /** oldest first */
  undo: unknown[];
  /** oldest first (the top is last) */
  redo: unknown[];
}

export class UndoEntriesRepo {
  private readonly all;
  private readonly insert;

  constructor(private readonly db: Database.Database) {
    this.all = db.prepare<[], { stack: number; entry: string }>('SELECT stack, entry FROM undo_entries ORDER BY stack, pos');
    this.insert = db.prepare('INSERT INTO undo_entries (stack, pos, entry) VALUES (?, ?, ?)');
  }

  load(): SavedStacks {
    const out: SavedStacks = { undo: [], redo: [] };
    for (const r of this.all.all()) {
      try {
        (r.stack === 0 ? out.undo : out.redo).push(JSON.parse(r.entry));
      } catch {
        // an unreadable entry is left out; the workflow checks the shape of the others
      }
    }
    return out;
  }

  save(s: SavedStacks): void {
    writing(this.db, () =>
      this.db.transaction(() => {
        this.db.exec('DELETE FROM undo_entries');
        s.undo.forEach((e, i) => this.insert.run(0, i, JSON.stringify(e)));
        s.redo.forEach((e, i) => this.insert.run(1, i, JSON.stringify(e)));
      })(),
    );
  }
}
