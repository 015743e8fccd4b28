// Undo/redo storage: the content of every (object, frame) cell an action touched — its mask row
// (with engine state), conditioning output, prompt and a single click's candidates — before (side 0) and after (side 1) the
// action, so undo and redo put exactly those rows back. Copies happen in SQL (no blob decoding);
// callers run them inside the action's transaction.
import type Database from 'better-sqlite3';
import { writing } from './errors';

export interface Cell {
  objectId: number;
  frame: number;
}

export type Side = 0 | 1;

const CAPTURE_COLUMNS = `entry, side, object_id, frame,
  has_mask, rle, area, bbox_x, bbox_y, bbox_w, bbox_h, score, source, pack_id, run_id, updated_at, obj_ptr, lowres_summary, engine_flags, iou,
  has_cond, cond_logits, cond_points, cond_mask_prompt,
  has_prompt, p_points, p_labels, p_box, p_mask, p_created_at,
  has_cand, cand_pack, cand_masks, cand_scores, cand_chosen`;

const CAPTURE_SELECT = `SELECT @entry, @side, @o, @f,
  m.object_id IS NOT NULL, m.rle, m.area, m.bbox_x, m.bbox_y, m.bbox_w, m.bbox_h, m.score, m.source, m.pack_id, m.run_id, m.updated_at,
  m.obj_ptr, m.lowres_summary, m.engine_flags, m.iou,
  c.object_id IS NOT NULL, c.logits, c.points, c.mask_prompt,
  p.object_id IS NOT NULL, p.points, p.labels, p.box, p.mask_rle, p.created_at,
  k.object_id IS NOT NULL, k.pack_id, k.masks, k.scores, k.chosen
  FROM (SELECT 1) AS one
  LEFT JOIN masks m ON m.object_id = @o AND m.frame = @f
  LEFT JOIN cond_outputs c ON c.object_id = @o AND c.frame = @f
  LEFT JOIN prompts p ON p.object_id = @o AND p.frame = @f
  LEFT JOIN prompt_candidates k ON k.object_id = @o AND k.frame = @f`;

export class UndoCellsRepo {
  private readonly captureFirst;
  private readonly captureReplace;
  private readonly listCells;

  constructor(private readonly db: Database.Database) {
    // side 0 keeps the first capture (the state before the action, even when a run visits a cell twice)
    this.captureFirst = db.prepare(`INSERT OR IGNORE INTO undo_cells (${CAPTURE_COLUMNS}) ${CAPTURE_SELECT}`);
    this.captureReplace = db.prepare(`INSERT OR REPLACE INTO undo_cells (${CAPTURE_COLUMNS}) ${CAPTURE_SELECT}`);
    this.listCells = db.prepare<[number, number], { object_id: number; frame: number }>(
      'SELECT object_id, frame FROM undo_cells WHERE entry = ? AND side = ? ORDER BY object_id, frame',
    );
  }

  /** Records the cells' current content for `entry`: side 0 keeps an earlier capture, side 1 replaces it. */
  capture(entry: number, side: Side, cells: readonly Cell[]): void {
    const stmt = side === 0 ? this.captureFirst : this.captureReplace;
    writing(this.db, () => {
      for (const c of cells) stmt.run({ entry, side, o: c.objectId, f: c.frame });
    });
  }

  /** The cells `entry` touched, by object then frame. */
  cells(entry: number): Cell[] {
    return this.listCells.all(entry, 0).map((r) => ({ objectId: r.object_id, frame: r.frame }));
  }

  /** Puts the cells of `entry` back as they were on `side` (a missing row is deleted). Returns them. */
  restore(entry: number, side: Side): Cell[] {
    const sel = 'SELECT object_id, frame FROM undo_cells WHERE entry = @entry AND side = @side';
    const args = { entry, side };
    writing(this.db, () => {
      for (const table of ['masks', 'cond_outputs', 'prompts', 'prompt_candidates']) {
        this.db.prepare(`DELETE FROM ${table} WHERE (object_id, frame) IN (${sel})`).run(args);
      }
      this.db
        .prepare(
          `INSERT INTO masks (object_id, frame, rle, area, bbox_x, bbox_y, bbox_w, bbox_h, score, source, pack_id, run_id, updated_at, obj_ptr, lowres_summary, engine_flags, iou)
           SELECT u.object_id, u.frame, u.rle, u.area, u.bbox_x, u.bbox_y, u.bbox_w, u.bbox_h, u.score, u.source,
             u.pack_id, (SELECT id FROM runs WHERE id = u.run_id), u.updated_at, u.obj_ptr, u.lowres_summary, u.engine_flags, u.iou
           FROM undo_cells u WHERE u.entry = @entry AND u.side = @side AND u.has_mask ORDER BY u.object_id, u.frame`,
        )
        .run(args);
      this.db
        .prepare(
          `INSERT INTO cond_outputs (object_id, frame, logits, points, mask_prompt)
           SELECT object_id, frame, cond_logits, cond_points, cond_mask_prompt FROM undo_cells
           WHERE entry = @entry AND side = @side AND has_cond ORDER BY object_id, frame`,
        )
        .run(args);
      this.db
        .prepare(
          `INSERT INTO prompts (object_id, frame, points, labels, box, mask_rle, created_at)
           SELECT object_id, frame, p_points, p_labels, p_box, p_mask, p_created_at FROM undo_cells
           WHERE entry = @entry AND side = @side AND has_prompt ORDER BY object_id, frame`,
        )
        .run(args);
      // after the prompts: putting a prompt back drops candidates by trigger (schema v6)
      this.db
        .prepare(
          `INSERT INTO prompt_candidates (object_id, frame, pack_id, masks, scores, chosen)
           SELECT object_id, frame, cand_pack, cand_masks, cand_scores, cand_chosen FROM undo_cells
           WHERE entry = @entry AND side = @side AND has_cand ORDER BY object_id, frame`,
        )
        .run(args);
    });
    return this.listCells.all(entry, side).map((r) => ({ objectId: r.object_id, frame: r.frame }));
  }

  /** Forgets entries (dropped from the undo stack, or a redo branch that can no longer be reached). */
  drop(entries: readonly number[]): void {
    if (entries.length === 0) return;
    const del = this.db.prepare('DELETE FROM undo_cells WHERE entry = ?');
    writing(this.db, () => this.db.transaction(() => entries.forEach((e) => del.run(e)))());
  }

  /** At open: the cells of entries the saved history no longer holds go (`keep`: the entries it holds). */
  clear(keep: readonly number[] = []): void {
    writing(this.db, () => this.db.prepare('DELETE FROM undo_cells WHERE entry NOT IN (SELECT value FROM json_each(?))').run(JSON.stringify(keep)));
  }

  /** The highest entry number in use (a new session continues after it; 0 when empty). */
  maxEntry(): number {
    return (this.db.prepare('SELECT coalesce(max(entry), 0) AS n FROM undo_cells').get() as { n: number }).n;
  }
}
