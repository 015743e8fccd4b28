// Runs: one row per propagation / segment-everything / export, so a reopened project knows what
// produced its masks and which runs never finished.
import type Database from 'better-sqlite3';
import { StoreError, writing } from './errors';
import type { RunRow, RunState } from './types';
import { checkId, checkText } from './validate';

interface Raw {
  id: number;
  kind: string;
  params: string;
  pack_id: string | null;
  started_at: number;
  finished_at: number | null;
  state: RunState;
  frames_done: number;
  error: string | null;
}

const toRow = (r: Raw): RunRow => ({
  id: r.id,
  kind: r.kind,
  params: JSON.parse(r.params),
  packId: r.pack_id,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  state: r.state,
  framesDone: r.frames_done,
  error: r.error,
});

export class RunsRepo {
  private readonly byId;

  constructor(private readonly db: Database.Database) {
    this.byId = db.prepare<[number], Raw>('SELECT * FROM runs WHERE id = ?');
  }

  start(r: { kind: string; params?: unknown; packId?: string | null }): RunRow {
    checkText('run kind', r.kind, 40);
    const id = writing(this.db, () =>
      Number(
        this.db
          .prepare("INSERT INTO runs (kind, params, pack_id, started_at, state) VALUES (?, ?, ?, ?, 'running')")
          .run(r.kind, JSON.stringify(r.params ?? {}), r.packId ?? null, Date.now()).lastInsertRowid,
      ),
    );
    return this.get(id)!;
  }

  progress(id: number, framesDone: number): void {
    const done = Math.max(0, Math.trunc(framesDone));
    writing(this.db, () => this.db.prepare("UPDATE runs SET frames_done = ? WHERE id = ? AND state = 'running'").run(done, checkId('run id', id)));
  }

  finish(id: number, state: Exclude<RunState, 'running'>, error: string | null = null): RunRow {
    const r = writing(this.db, () =>
      this.db
        .prepare("UPDATE runs SET state = ?, finished_at = ?, error = ? WHERE id = ? AND state = 'running'")
        .run(state, Date.now(), error, checkId('run id', id)),
    );
    if (r.changes === 0) throw new StoreError('NOT_FOUND', `run ${id} is not running (unknown id or already finished)`);
    return this.get(id)!;
  }

  get(id: number): RunRow | null {
    const r = this.byId.get(checkId('run id', id));
    return r ? toRow(r) : null;
  }

  /** Newest first. */
  list(limit = 100): RunRow[] {
    return this.db.prepare<[number], Raw>('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit).map(toRow);
  }

  /** After a crash: runs still marked running were cut off. Call once when a project is opened by its only user. */
  markInterrupted(): number {
    return writing(this.db, () => this.db.prepare("UPDATE runs SET state = 'interrupted', finished_at = ? WHERE state = 'running'").run(Date.now()).changes);
  }
}
