// Annotated objects. remove() is a soft delete so undo can restore the object together with
// its prompts and masks; purge() deletes for good (prompts and masks cascade).
import type Database from 'better-sqlite3';
import { StoreError, writing } from './errors';
import type { NewObject, ObjectInfo, ObjectPatch, ObjectRow } from './types';
import { checkId, checkText } from './validate';
import { paletteColor } from '../../shared/palette';

interface Raw {
  id: number;
  name: string;
  color: string;
  label: string;
  hidden: number;
  locked: number;
  deleted: number;
  created_at: number;
  updated_at: number;
}

const toRow = (r: Raw): ObjectRow => ({
  id: r.id,
  name: r.name,
  color: r.color,
  label: r.label,
  hidden: r.hidden === 1,
  locked: r.locked === 1,
  deleted: r.deleted === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const toObjectInfo = (r: ObjectRow): ObjectInfo => ({ id: r.id, name: r.name, color: r.color, label: r.label, hidden: r.hidden, locked: r.locked });

const COLOR = /^#[0-9a-fA-F]{6}$/;

export class ObjectsRepo {
  private readonly insert;
  private readonly byId;
  private readonly live;
  private readonly setDeleted;
  private readonly purgeStmt;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare('INSERT INTO objects (name, color, label, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
    this.byId = db.prepare<[number], Raw>('SELECT * FROM objects WHERE id = ?');
    this.live = db.prepare<[], Raw>('SELECT * FROM objects WHERE deleted = 0 ORDER BY id');
    this.setDeleted = db.prepare('UPDATE objects SET deleted = ?, updated_at = ? WHERE id = ?');
    this.purgeStmt = db.prepare('DELETE FROM objects WHERE id = ?');
  }

  add(o: NewObject = {}): ObjectInfo {
    if (o.color !== undefined && !COLOR.test(o.color))
      throw new StoreError('INVALID_ARGUMENT', `colour must look like #rrggbb, got ${JSON.stringify(o.color)}`);
    const label = checkText('label', o.label ?? '');
    if (o.name !== undefined) checkText('name', o.name);
    return writing(this.db, () =>
      this.db.transaction(() => {
        const now = Date.now();
        const id = Number(this.insert.run(o.name ?? '', o.color ?? '', label, now, now).lastInsertRowid);
        // Defaults depend on the id, which exists only after the insert.
        if (o.name === undefined || o.color === undefined) {
          this.db.prepare('UPDATE objects SET name = ?, color = ? WHERE id = ?').run(o.name ?? `Object ${id}`, o.color ?? paletteColor(id), id);
        }
        return toObjectInfo(toRow(this.byId.get(id)!));
      })(),
    );
  }

  /** The object, also when soft-deleted (see `deleted`); null when it never existed or was purged. */
  getRow(id: number): ObjectRow | null {
    const r = this.byId.get(checkId('object id', id));
    return r ? toRow(r) : null;
  }

  /** A live (not deleted) object or null. */
  get(id: number): ObjectInfo | null {
    const r = this.getRow(id);
    return r && !r.deleted ? toObjectInfo(r) : null;
  }

  /** A live object, or a NOT_FOUND error naming it. */
  require(id: number): ObjectInfo {
    const o = this.get(id);
    if (!o) throw new StoreError('NOT_FOUND', `object ${id} does not exist in this project`);
    return o;
  }

  list(): ObjectInfo[] {
    return this.live.all().map((r) => toObjectInfo(toRow(r)));
  }

  update(id: number, patch: ObjectPatch): ObjectInfo {
    const cur = this.require(id);
    if (patch.color !== undefined && !COLOR.test(patch.color))
      throw new StoreError('INVALID_ARGUMENT', `colour must look like #rrggbb, got ${JSON.stringify(patch.color)}`);
    if (patch.name !== undefined) checkText('name', patch.name);
    if (patch.label !== undefined) checkText('label', patch.label);
    for (const k of ['hidden', 'locked'] as const) {
      if (patch[k] !== undefined && typeof patch[k] !== 'boolean') throw new StoreError('INVALID_ARGUMENT', `${k} must be true or false`);
    }
    const next = { ...cur, ...patch };
    writing(this.db, () =>
      this.db
        .prepare('UPDATE objects SET name = ?, color = ?, label = ?, hidden = ?, locked = ?, updated_at = ? WHERE id = ?')
        .run(next.name, next.color, next.label, next.hidden ? 1 : 0, next.locked ? 1 : 0, Date.now(), id),
    );
    return this.require(id);
  }

  /** Soft delete: hidden from lists, summaries and frames, restorable with restore(). */
  remove(id: number): void {
    this.require(id);
    writing(this.db, () => this.setDeleted.run(1, Date.now(), id));
  }

  restore(id: number): ObjectInfo {
    const r = this.getRow(id);
    if (!r) throw new StoreError('NOT_FOUND', `object ${id} cannot be restored: it was deleted for good`);
    writing(this.db, () => this.setDeleted.run(0, Date.now(), id));
    return this.require(id);
  }

  /** Delete for good, with its prompts and masks. */
  purge(id: number): void {
    writing(this.db, () => this.purgeStmt.run(checkId('object id', id)));
  }

  /** Forget every soft-deleted object (e.g. when the undo history is dropped). */
  /** Soft-deleted objects go, except those a saved undo/redo entry can still bring back (`keep`). */
  purgeDeleted(keep: readonly number[] = []): number {
    return writing(
      this.db,
      () => this.db.prepare('DELETE FROM objects WHERE deleted = 1 AND id NOT IN (SELECT value FROM json_each(?))').run(JSON.stringify(keep)).changes,
    );
  }
}
