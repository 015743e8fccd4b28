// A single click's multimask candidates per object and frame (schema v6): the masks losslessly
// (the store's RLE blob per mask, length-prefixed), their predicted IoUs, the chosen one and the
// pack that made them. Kept only while the frame's prompt is that click (triggers drop them).
import type Database from 'better-sqlite3';
import type { Rle } from '../../api/contract';
import { packRle, unpackRle } from '../masks/rle';
import { StoreError, translateSqliteError, writing } from './errors';
import { checkFrame, checkId, isForeignKeyError } from './validate';

export interface StoredCandidates {
  objectId: number;
  frame: number;
  packId: string | null;
  masks: Rle[];
  scores: number[];
  chosen: number;
}

interface Raw {
  object_id: number;
  frame: number;
  pack_id: string | null;
  masks: Buffer;
  scores: string;
  chosen: number;
}

/** Masks → one blob: per mask a 4-byte little-endian length, then its packed RLE. */
export function packMasks(masks: readonly Rle[]): Buffer {
  const parts = masks.flatMap((m) => {
    const b = packRle(m);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(b.length);
    return [len, b];
  });
  return Buffer.concat(parts);
}

export function unpackMasks(blob: Buffer): Rle[] {
  const out: Rle[] = [];
  for (let at = 0; at < blob.length;) {
    if (at + 4 > blob.length) throw new StoreError('NOT_A_DATABASE', 'a stored candidate list is cut short');
    const n = blob.readUInt32LE(at);
    out.push(unpackRle(blob.subarray(at + 4, at + 4 + n)));
    at += 4 + n;
  }
  return out;
}

const LIVE = 'JOIN objects o ON o.id = k.object_id AND o.deleted = 0';

export class CandidatesRepo {
  private readonly upsert;
  private readonly one;
  private readonly chosen;

  constructor(private readonly db: Database.Database) {
    this.upsert = db.prepare(
      `INSERT INTO prompt_candidates (object_id, frame, pack_id, masks, scores, chosen) VALUES (@objectId, @frame, @packId, @masks, @scores, @chosen)
       ON CONFLICT(object_id, frame) DO UPDATE SET pack_id = excluded.pack_id, masks = excluded.masks, scores = excluded.scores, chosen = excluded.chosen`,
    );
    this.one = db.prepare<[number, number], Raw>(`SELECT k.* FROM prompt_candidates k ${LIVE} WHERE k.object_id = ? AND k.frame = ?`);
    this.chosen = db.prepare('UPDATE prompt_candidates SET chosen = ? WHERE object_id = ? AND frame = ?');
  }

  /** Call after the frame's prompt is written (writing the prompt drops older candidates). */
  set(c: StoredCandidates): void {
    checkId('object id', c.objectId);
    checkFrame(c.frame);
    if (c.masks.length === 0 || c.masks.length !== c.scores.length)
      throw new StoreError('INVALID_ARGUMENT', 'candidates need one score per mask, and at least one mask');
    if (!Number.isInteger(c.chosen) || c.chosen < 0 || c.chosen >= c.masks.length)
      throw new StoreError('INVALID_ARGUMENT', `the chosen candidate must be 0..${c.masks.length - 1}, got ${c.chosen}`);
    try {
      writing(this.db, () =>
        this.upsert.run({
          objectId: c.objectId,
          frame: c.frame,
          packId: c.packId,
          masks: packMasks(c.masks),
          scores: JSON.stringify(c.scores),
          chosen: c.chosen,
        }),
      );
    } catch (err) {
      if (isForeignKeyError(err)) throw new StoreError('NOT_FOUND', `object ${c.objectId} does not exist in this project`);
      throw translateSqliteError(err, this.db.name);
    }
  }

  get(objectId: number, frame: number): StoredCandidates | null {
    const r = this.one.get(checkId('object id', objectId), checkFrame(frame));
    if (!r) return null;
    return { objectId: r.object_id, frame: r.frame, packId: r.pack_id, masks: unpackMasks(r.masks), scores: JSON.parse(r.scores), chosen: r.chosen };
  }

  /** True when the frame had candidates. */
  choose(objectId: number, frame: number, index: number): boolean {
    return writing(this.db, () => this.chosen.run(index, checkId('object id', objectId), checkFrame(frame)).changes > 0);
  }
}
