// Prompts: per object and conditioning frame, the clicks (points + labels), the box and/or a
// mask the user gave. These frames are the ones SAM 2 conditions on when propagating.
import type Database from 'better-sqlite3';
import { packRle, unpackRle } from '../masks/rle';
import { StoreError, translateSqliteError, writing } from './errors';
import type { PromptInfo, PromptRow, PromptWrite } from './types';
import { checkFinite, checkFrame, checkId, isForeignKeyError } from './validate';

interface Raw {
  object_id: number;
  frame: number;
  points: string;
  labels: string;
  box: string | null;
  mask_rle: Buffer | null;
  created_at: number;
}

const toRow = (r: Raw): PromptRow => ({
  objectId: r.object_id,
  frame: r.frame,
  points: JSON.parse(r.points),
  labels: JSON.parse(r.labels),
  box: r.box ? JSON.parse(r.box) : null,
  mask: r.mask_rle ? unpackRle(r.mask_rle) : null,
  createdAt: r.created_at,
});

export const toPromptInfo = (p: PromptRow): PromptInfo => ({
  objectId: p.objectId,
  frame: p.frame,
  points: p.points,
  labels: p.labels,
  box: p.box,
  hasMask: p.mask !== null,
});

// Objects' soft delete hides their prompts too.
const LIVE = 'JOIN objects o ON o.id = p.object_id AND o.deleted = 0';

export class PromptsRepo {
  private readonly upsert;
  private readonly one;
  private readonly all;
  private readonly ofObject;
  private readonly del;

  constructor(private readonly db: Database.Database) {
    this.upsert = db.prepare(
      `INSERT INTO prompts (object_id, frame, points, labels, box, mask_rle, created_at)
       VALUES (@objectId, @frame, @points, @labels, @box, @mask, @now)
       ON CONFLICT(object_id, frame) DO UPDATE SET points = excluded.points, labels = excluded.labels,
         box = excluded.box, mask_rle = excluded.mask_rle, created_at = excluded.created_at`,
    );
    this.one = db.prepare<[number, number], Raw>(`SELECT p.* FROM prompts p ${LIVE} WHERE p.object_id = ? AND p.frame = ?`);
    this.all = db.prepare<[], Raw>(`SELECT p.* FROM prompts p ${LIVE} ORDER BY p.object_id, p.frame`);
    this.ofObject = db.prepare<[number], Raw>(`SELECT p.* FROM prompts p ${LIVE} WHERE p.object_id = ? ORDER BY p.frame`);
    this.del = db.prepare('DELETE FROM prompts WHERE object_id = ? AND frame = ?');
  }

  /** Replace the object's prompt on that frame (callers merge clicks first when they append). */
  set(p: PromptWrite): PromptRow {
    const row = validatePrompt(p);
    try {
      this.upsert.run({
        objectId: row.objectId,
        frame: row.frame,
        points: JSON.stringify(row.points),
        labels: JSON.stringify(row.labels),
        box: row.box ? JSON.stringify(row.box) : null,
        mask: row.mask ? packRle(row.mask) : null,
        now: Date.now(),
      });
    } catch (err) {
      if (isForeignKeyError(err)) throw new StoreError('NOT_FOUND', `object ${p.objectId} does not exist in this project`);
      throw translateSqliteError(err, this.db.name);
    }
    return this.get(row.objectId, row.frame)!;
  }

  get(objectId: number, frame: number): PromptRow | null {
    const r = this.one.get(checkId('object id', objectId), checkFrame(frame));
    return r ? toRow(r) : null;
  }

  /** Every live object's prompts, by object then frame. */
  list(): PromptRow[] {
    return this.all.all().map(toRow);
  }

  forObject(objectId: number): PromptRow[] {
    return this.ofObject.all(checkId('object id', objectId)).map(toRow);
  }

  /** True when there was a prompt to remove. */
  remove(objectId: number, frame: number): boolean {
    return writing(this.db, () => this.del.run(checkId('object id', objectId), checkFrame(frame)).changes > 0);
  }
}

function validatePrompt(p: PromptWrite): Omit<PromptRow, 'createdAt'> {
  checkId('object id', p.objectId);
  checkFrame(p.frame);
  if (!Array.isArray(p.points) || !Array.isArray(p.labels) || p.points.length !== p.labels.length) {
    throw new StoreError('INVALID_ARGUMENT', 'prompt points and labels must be arrays of the same length');
  }
  for (const pt of p.points) {
    if (!Array.isArray(pt) || pt.length !== 2) throw new StoreError('INVALID_ARGUMENT', 'each prompt point must be [x, y]');
    checkFinite('point x', pt[0]);
    checkFinite('point y', pt[1]);
  }
  for (const l of p.labels) if (l !== 0 && l !== 1) throw new StoreError('INVALID_ARGUMENT', `prompt labels must be 0 or 1, got ${JSON.stringify(l)}`);
  const box = p.box ?? null;
  if (box !== null) {
    if (!Array.isArray(box) || box.length !== 4) throw new StoreError('INVALID_ARGUMENT', 'prompt box must be [x0, y0, x1, y1]');
    box.forEach((v, i) => checkFinite(`box[${i}]`, v));
  }
  const mask = p.mask ?? null;
  if (p.points.length === 0 && box === null && mask === null) {
    throw new StoreError('INVALID_ARGUMENT', 'a prompt needs at least one point, a box or a mask (use remove() to clear a frame)');
  }
  return { objectId: p.objectId, frame: p.frame, points: p.points, labels: p.labels, box, mask };
}
