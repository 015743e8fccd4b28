// Which frames of an object are "tracked since its last prompt change" (issue 13: a propagation
// resumes after them instead of recomputing them). A mask row counts when a run newer than the
// object's last prompt change (table prompt_changes, kept by triggers: see schema v4) wrote it
// with the same pack, tracked in the pass's direction. Prompted frames count once a pass in that
// direction visited them: their output is the prompt's and a propagation never rewrites it.
import type Database from 'better-sqlite3';
import { checkId } from './validate';

/** engine_flags bits (store/engine-codec): 1 memory from prompt, 2 tracked, 4 in reverse */
const TRACKED = 2;
const REVERSE = 4;

export class TrackedRepo {
  private readonly current;
  private readonly cond;

  constructor(db: Database.Database) {
    this.current = db.prepare<[number, number, number, string], { frame: number }>(
      `SELECT m.frame FROM masks m
       WHERE m.object_id = ? AND m.engine_flags IS NOT NULL AND (m.engine_flags & ${TRACKED}) != 0
         AND (m.engine_flags & ${REVERSE}) = ? AND m.run_id IS NOT NULL
         AND m.run_id > COALESCE((SELECT after_run FROM prompt_changes WHERE object_id = ?), 0)
         AND m.pack_id = ?`,
    );
    // a prompted frame's output never changes by tracking, but visiting it marks it tracked in the
    // pass's direction (which a later click there depends on): current once it is marked so
    this.cond = db.prepare<[number, number], { frame: number }>(
      `SELECT c.frame FROM cond_outputs c JOIN masks m ON m.object_id = c.object_id AND m.frame = c.frame
       WHERE c.object_id = ? AND m.engine_flags IS NOT NULL AND (m.engine_flags & ${TRACKED}) != 0 AND (m.engine_flags & ${REVERSE}) = ?`,
    );
  }

  /** Frames of the object that a pass in this direction need not recompute on this pack. */
  currentFrames(objectId: number, reverse: boolean, packId: string): Set<number> {
    checkId('object id', objectId);
    const out = new Set<number>();
    for (const r of this.current.all(objectId, reverse ? REVERSE : 0, objectId, packId)) out.add(r.frame);
    for (const r of this.cond.all(objectId, reverse ? REVERSE : 0)) out.add(r.frame);
    return out;
  }
}
