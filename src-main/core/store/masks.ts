// Masks per object and frame. Propagation streams 1–50 masks per frame, so bulk writes go
// through one prepared upsert inside one transaction; blobs use the compact RLE codec and
// area/bbox are stored beside them so lists and exports need not decode anything.
import type Database from 'better-sqlite3';
import type { ObjectMask } from '../../api/contract';
import { packRle, rleArea, rleBbox, unpackRle } from '../masks/rle';
import { packFlags, packFloats, packSummary } from './engine-codec';
import { StoreError, translateSqliteError, writing } from './errors';
import type { MaskSource, MaskWrite, StoredMask } from './types';
import { checkFinite, checkFrame, checkId, isForeignKeyError } from './validate';

interface Raw {
  object_id: number;
  frame: number;
  rle: Buffer;
  area: number;
  bbox_x: number | null;
  bbox_y: number | null;
  bbox_w: number | null;
  bbox_h: number | null;
  score: number;
  source: MaskSource;
  pack_id: string | null;
  run_id: number | null;
  updated_at: number;
}

const SOURCES: ReadonlySet<string> = new Set(['prompt', 'propagated', 'corrected', 'fixed']);

const toStored = (r: Raw): StoredMask => ({
  objectId: r.object_id,
  frame: r.frame,
  rle: unpackRle(r.rle),
  area: r.area,
  bbox: r.bbox_x === null ? null : [r.bbox_x, r.bbox_y!, r.bbox_w!, r.bbox_h!],
  score: r.score,
  source: r.source,
  packId: r.pack_id,
  runId: r.run_id,
  updatedAt: r.updated_at,
});

const LIVE = 'JOIN objects o ON o.id = m.object_id AND o.deleted = 0';

export class MasksRepo {
  private readonly upsert;
  private readonly one;
  private readonly ofFrame;
  private readonly range;
  private readonly delOne;
  private readonly delRange;
  private readonly putAll;

  constructor(private readonly db: Database.Database) {
    this.upsert = db.prepare(
      `INSERT INTO masks (object_id, frame, rle, area, bbox_x, bbox_y, bbox_w, bbox_h, score, source, pack_id, run_id, updated_at,
         obj_ptr, lowres_summary, engine_flags, iou)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(object_id, frame) DO UPDATE SET rle = excluded.rle, area = excluded.area,
         bbox_x = excluded.bbox_x, bbox_y = excluded.bbox_y, bbox_w = excluded.bbox_w, bbox_h = excluded.bbox_h,
         score = excluded.score, source = excluded.source, pack_id = excluded.pack_id, run_id = excluded.run_id,
         updated_at = excluded.updated_at, obj_ptr = excluded.obj_ptr, lowres_summary = excluded.lowres_summary,
         engine_flags = excluded.engine_flags, iou = excluded.iou`,
    );
    this.one = db.prepare<[number, number], Raw>(`SELECT m.* FROM masks m ${LIVE} WHERE m.object_id = ? AND m.frame = ?`);
    // Objects drive the join so each lookup uses the (object_id, frame) key.
    this.ofFrame = db.prepare<[number], Raw>(
      `SELECT m.* FROM objects o CROSS JOIN masks m ON m.object_id = o.id AND m.frame = ? WHERE o.deleted = 0 ORDER BY o.id`,
    );
    this.range = db.prepare<[number, number, number], Raw>('SELECT * FROM masks WHERE object_id = ? AND frame BETWEEN ? AND ? ORDER BY frame');
    this.delOne = db.prepare('DELETE FROM masks WHERE object_id = ? AND frame = ?');
    this.delRange = db.prepare('DELETE FROM masks WHERE object_id = ? AND frame BETWEEN ? AND ?');
    this.putAll = db.transaction((list: MaskWrite[]) => {
      const now = Date.now();
      // Encode everything first: a bad mask then fails before the first row is written.
      const rows = list.map((m) => encodeRow(m, now));
      for (const r of rows) this.upsert.run(r);
    });
  }

  /** Store (or replace) one mask. */
  put(m: MaskWrite): void {
    this.putMany([m]);
  }

  /** Store many masks in one transaction: all of them or none. */
  putMany(list: MaskWrite[]): void {
    if (!Array.isArray(list)) throw new StoreError('INVALID_ARGUMENT', 'putMany expects an array of masks');
    if (list.length === 0) return;
    try {
      this.putAll(list);
    } catch (err) {
      if (isForeignKeyError(err)) {
        throw new StoreError('NOT_FOUND', `cannot store masks: one of objects ${[...new Set(list.map((m) => m.objectId))].join(', ')} does not exist`);
      }
      throw translateSqliteError(err, this.db.name);
    }
  }

  get(objectId: number, frame: number): StoredMask | null {
    const r = this.one.get(checkId('object id', objectId), checkFrame(frame));
    return r ? toStored(r) : null;
  }

  /** The live objects' masks on one frame, in the shape the API sends. */
  forFrame(frame: number): ObjectMask[] {
    return this.ofFrame.all(checkFrame(frame)).map((r) => ({ objectId: r.object_id, rle: unpackRle(r.rle), score: r.score, source: r.source }));
  }

  /** One object's masks on frames from..to (inclusive), e.g. to save them for undo. */
  listRange(objectId: number, from: number, to: number): StoredMask[] {
    return this.range.all(checkId('object id', objectId), checkFrame(from), checkFrame(to)).map(toStored);
  }

  remove(objectId: number, frame: number): boolean {
    return writing(this.db, () => this.delOne.run(checkId('object id', objectId), checkFrame(frame)).changes > 0);
  }

  /** Remove one object's masks on frames from..to (inclusive); returns how many went. */
  removeRange(objectId: number, from: number, to: number): number {
    return writing(this.db, () => this.delRange.run(checkId('object id', objectId), checkFrame(from), checkFrame(to)).changes);
  }

  /** Propagation visited a prompted frame: only its engine flags change (tracked and direction). */
  setTracked(objectId: number, frame: number, tracked: 'forward' | 'reverse'): boolean {
    const r = writing(this.db, () =>
      this.db
        .prepare('UPDATE masks SET engine_flags = (engine_flags & 1) | ? WHERE object_id = ? AND frame = ? AND engine_flags IS NOT NULL')
        .run(tracked === 'reverse' ? 6 : 2, checkId('object id', objectId), checkFrame(frame)),
    );
    return r.changes > 0;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM masks').get() as { n: number }).n;
  }
}

function encodeRow(m: MaskWrite, now: number): unknown[] {
  checkId('object id', m.objectId);
  checkFrame(m.frame);
  checkFinite('mask score', m.score);
  if (!SOURCES.has(m.source))
    throw new StoreError('INVALID_ARGUMENT', `mask source must be prompt, propagated, corrected or fixed, got ${JSON.stringify(m.source)}`);
  const blob = packRle(m.rle);
  const bbox = rleBbox(m.rle);
  const e = m.engine ?? null;
  if (e) checkFinite('mask iou', e.iou);
  return [
    m.objectId,
    m.frame,
    blob,
    rleArea(m.rle),
    bbox?.[0] ?? null,
    bbox?.[1] ?? null,
    bbox?.[2] ?? null,
    bbox?.[3] ?? null,
    m.score,
    m.source,
    m.packId ?? null,
    m.runId ?? null,
    now,
    e ? packFloats(e.objPtr) : null,
    e ? packSummary(e.summary) : null,
    e ? packFlags(e) : null,
    e ? e.iou : null,
  ];
}
