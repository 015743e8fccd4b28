// The click history: every prompt call in order, per object and frame (points with their labels,
// box and clearOld; a mask; a chosen candidate; a clear), with the undo entry that made it so
// undo/redo can mark it. Replaying a frame's live calls in order on a fresh object reproduces
// what the engine was given.
import type Database from 'better-sqlite3';
import { packRle, unpackRle } from '../masks/rle';
import { StoreError, translateSqliteError, writing } from './errors';
import type { Rle } from './types';
import { checkFrame, checkId, isForeignKeyError } from './validate';

export type PromptCallOp = 'points' | 'mask' | 'candidate' | 'clear';

export interface PromptCallArgs {
  points?: [number, number][];
  labels?: number[];
  box?: [number, number, number, number] | null;
  clearOld?: boolean;
  /** chosen candidate index */
  index?: number;
  /** a mask call: its pixels were taken out of the other objects' masks */
  exclusive?: boolean;
  /** a mask call made by another object's exclusive edit (that object's id) */
  exclusiveOf?: number;
}

export interface PromptCall {
  id: number;
  objectId: number;
  frame: number;
  op: PromptCallOp;
  args: PromptCallArgs;
  mask: Rle | null;
  packId: string | null;
  undoEntry: number | null;
  undone: boolean;
  createdAt: number;
}

interface Raw {
  id: number;
  object_id: number;
  frame: number;
  op: PromptCallOp;
  args: string;
  mask_rle: Buffer | null;
  pack_id: string | null;
  undo_entry: number | null;
  undone: number;
  created_at: number;
}

const toCall = (r: Raw): PromptCall => ({
  id: r.id,
  objectId: r.object_id,
  frame: r.frame,
  op: r.op,
  args: JSON.parse(r.args),
  mask: r.mask_rle ? unpackRle(r.mask_rle) : null,
  packId: r.pack_id,
  undoEntry: r.undo_entry,
  undone: r.undone === 1,
  createdAt: r.created_at,
});

const OPS: ReadonlySet<string> = new Set(['points', 'mask', 'candidate', 'clear']);

export class PromptCallsRepo {
  private readonly insert;
  private readonly ofCell;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare(
      'INSERT INTO prompt_calls (object_id, frame, op, args, mask_rle, pack_id, undo_entry, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.ofCell = db.prepare<[number, number], Raw>('SELECT * FROM prompt_calls WHERE object_id = ? AND frame = ? ORDER BY id');
  }

  add(c: {
    objectId: number;
    frame: number;
    op: PromptCallOp;
    args: PromptCallArgs;
    mask?: Rle | null;
    packId?: string | null;
    undoEntry?: number | null;
  }): number {
    if (!OPS.has(c.op)) throw new StoreError('INVALID_ARGUMENT', `prompt call op must be points, mask, candidate or clear, got ${JSON.stringify(c.op)}`);
    try {
      return Number(
        this.insert.run(
          checkId('object id', c.objectId),
          checkFrame(c.frame),
          c.op,
          JSON.stringify(c.args),
          c.mask ? packRle(c.mask) : null,
          c.packId ?? null,
          c.undoEntry ?? null,
          Date.now(),
        ).lastInsertRowid,
      );
    } catch (err) {
      if (isForeignKeyError(err)) throw new StoreError('NOT_FOUND', `object ${c.objectId} does not exist in this project`);
      throw translateSqliteError(err, this.db.name);
    }
  }

  /** The calls on one object and frame, oldest first (undone ones included, marked). */
  forCell(objectId: number, frame: number): PromptCall[] {
    return this.ofCell.all(checkId('object id', objectId), checkFrame(frame)).map(toCall);
  }

  /** Marks the calls of an undo entry undone (undo) or live again (redo). */
  setUndone(undoEntry: number, undone: boolean): void {
    writing(this.db, () => this.db.prepare('UPDATE prompt_calls SET undone = ? WHERE undo_entry = ?').run(undone ? 1 : 0, undoEntry));
  }

  /** Deletes the calls of undone entries that can no longer be redone. */
  dropUndone(keep: readonly number[] = []): number {
    return writing(
      this.db,
      () =>
        this.db
          .prepare('DELETE FROM prompt_calls WHERE undone = 1 AND (undo_entry IS NULL OR undo_entry NOT IN (SELECT value FROM json_each(?)))')
          .run(JSON.stringify(keep)).changes,
    );
  }

  /** A new session: calls keep their order but no longer belong to an undo entry. */
  detachEntries(keep: readonly number[] = []): void {
    writing(this.db, () =>
      this.db
        .prepare('UPDATE prompt_calls SET undo_entry = NULL WHERE undo_entry IS NOT NULL AND undo_entry NOT IN (SELECT value FROM json_each(?))')
        .run(JSON.stringify(keep)),
    );
  }
}
