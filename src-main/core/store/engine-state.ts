// The engine's state kept next to the masks (docs/workflow.md: the database is the truth, the
// engine a cache of it): conditioning outputs with their exact low-res logits and model-space
// points, and the rows a restore reads back — each mask's engine columns joined with its
// conditioning output, without decoding any mask.
import type Database from 'better-sqlite3';
import { packFloats, unpackFlags, unpackFloats, unpackSummary, type MaskEngineState } from './engine-codec';
import { StoreError, translateSqliteError, writing } from './errors';
import { checkFrame, checkId, isForeignKeyError } from './validate';

export interface CondOutput {
  /** exact low-res logits [4h·4w] */
  logits: Float32Array;
  /** the frame's user points in model pixels; null for a mask prompt */
  points: { coords: number[]; labels: number[] } | null;
  maskPrompt: boolean;
}

export interface EngineRow {
  frame: number;
  score: number;
  packId: string | null;
  /** null when the mask was written without engine state */
  engine: MaskEngineState | null;
  /** the conditioning output, with its position in the engine's order of conditioning frames */
  cond: (CondOutput & { seq: number }) | null;
}

interface RawRow {
  frame: number;
  score: number;
  pack_id: string | null;
  obj_ptr: Buffer | null;
  lowres_summary: Buffer | null;
  engine_flags: number | null;
  iou: number | null;
  seq: number | null;
  logits: Buffer | null;
  points: string | null;
  mask_prompt: number | null;
}

const SELECT = `SELECT m.frame, m.score, m.pack_id, m.obj_ptr, m.lowres_summary, m.engine_flags, m.iou,
  c.rowid AS seq, c.logits, c.points, c.mask_prompt
  FROM masks m LEFT JOIN cond_outputs c ON c.object_id = m.object_id AND c.frame = m.frame`;

function toRow(r: RawRow): EngineRow {
  const engine: MaskEngineState | null =
    r.obj_ptr && r.lowres_summary && r.engine_flags !== null
      ? { objPtr: unpackFloats(r.obj_ptr, 'object pointer'), summary: unpackSummary(r.lowres_summary), ...unpackFlags(r.engine_flags), iou: r.iou ?? 0 }
      : null;
  const cond = r.logits
    ? { seq: r.seq!, logits: unpackFloats(r.logits, 'conditioning logits'), points: r.points ? JSON.parse(r.points) : null, maskPrompt: r.mask_prompt === 1 }
    : null;
  return { frame: r.frame, score: r.score, packId: r.pack_id, engine, cond };
}

export class EngineStateRepo {
  private readonly upsertCond;
  private readonly oneCond;
  private readonly delCond;
  private readonly ofObject;
  private readonly atFrame;

  constructor(private readonly db: Database.Database) {
    this.upsertCond = db.prepare(
      `INSERT INTO cond_outputs (object_id, frame, logits, points, mask_prompt) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(object_id, frame) DO UPDATE SET logits = excluded.logits, points = excluded.points, mask_prompt = excluded.mask_prompt`,
    );
    this.oneCond = db.prepare<[number, number], { logits: Buffer; points: string | null; mask_prompt: number }>(
      'SELECT logits, points, mask_prompt FROM cond_outputs WHERE object_id = ? AND frame = ?',
    );
    this.delCond = db.prepare('DELETE FROM cond_outputs WHERE object_id = ? AND frame = ?');
    this.ofObject = db.prepare<[number], RawRow>(`${SELECT} WHERE m.object_id = ? ORDER BY m.frame`);
    this.atFrame = db.prepare<[number, number], RawRow>(`${SELECT} WHERE m.object_id = ? AND m.frame = ?`);
  }

  setCond(objectId: number, frame: number, c: CondOutput): void {
    if (!(c.logits instanceof Float32Array) || c.logits.length === 0)
      throw new StoreError('INVALID_ARGUMENT', 'conditioning logits must be a non-empty Float32Array');
    try {
      this.upsertCond.run(
        checkId('object id', objectId),
        checkFrame(frame),
        packFloats(c.logits),
        c.points ? JSON.stringify(c.points) : null,
        c.maskPrompt ? 1 : 0,
      );
    } catch (err) {
      if (isForeignKeyError(err)) throw new StoreError('NOT_FOUND', `object ${objectId} does not exist in this project`);
      throw translateSqliteError(err, this.db.name);
    }
  }

  getCond(objectId: number, frame: number): CondOutput | null {
    const r = this.oneCond.get(checkId('object id', objectId), checkFrame(frame));
    return r
      ? { logits: unpackFloats(r.logits, 'conditioning logits'), points: r.points ? JSON.parse(r.points) : null, maskPrompt: r.mask_prompt === 1 }
      : null;
  }

  removeCond(objectId: number, frame: number): boolean {
    return writing(this.db, () => this.delCond.run(checkId('object id', objectId), checkFrame(frame)).changes > 0);
  }

  /** Every mask row of the object with its engine state, ascending by frame (soft-deleted objects too). */
  rows(objectId: number): EngineRow[] {
    return this.ofObject.all(checkId('object id', objectId)).map(toRow);
  }

  /** The rows of some frames of the object (frames without a mask are left out). */
  rowsAt(objectId: number, frames: readonly number[]): EngineRow[] {
    checkId('object id', objectId);
    const out: EngineRow[] = [];
    for (const f of [...new Set(frames)].sort((a, b) => a - b)) {
      const r = this.atFrame.get(objectId, checkFrame(f));
      if (r) out.push(toRow(r));
    }
    return out;
  }
}
