// The project's video(s): where the file is, its content key and its probe.
import type Database from 'better-sqlite3';
import { StoreError, writing } from './errors';
import type { VideoRow } from './types';
import { checkId, checkText } from './validate';

interface Raw {
  id: number;
  path: string;
  key: string;
  probe: string;
  added_at: number;
}

const toRow = (r: Raw): VideoRow => ({ id: r.id, path: r.path, key: r.key, probe: JSON.parse(r.probe), addedAt: r.added_at });

export class VideosRepo {
  private readonly upsertStmt;
  private readonly byKey;
  private readonly byId;
  private readonly all;
  private readonly setPathStmt;

  constructor(private readonly db: Database.Database) {
    this.upsertStmt = db.prepare(
      `INSERT INTO videos (path, key, probe, added_at) VALUES (@path, @key, @probe, @now)
       ON CONFLICT(key) DO UPDATE SET path = excluded.path, probe = excluded.probe`,
    );
    this.byKey = db.prepare<[string], Raw>('SELECT * FROM videos WHERE key = ?');
    this.byId = db.prepare<[number], Raw>('SELECT * FROM videos WHERE id = ?');
    this.all = db.prepare<[], Raw>('SELECT * FROM videos ORDER BY id');
    this.setPathStmt = db.prepare('UPDATE videos SET path = ? WHERE id = ?');
  }

  /** Add the video, or update path and probe of the one with the same content key. */
  upsert(v: { path: string; key: string; probe: unknown }): VideoRow {
    checkText('video path', v.path, 4096);
    if (!/^[0-9a-f]{16,64}$/.test(v.key)) throw new StoreError('INVALID_ARGUMENT', `video key must be a hex digest, got ${JSON.stringify(v.key)}`);
    const row = { path: v.path, key: v.key, probe: JSON.stringify(v.probe ?? null), now: Date.now() };
    writing(this.db, () => this.upsertStmt.run(row));
    return toRow(this.byKey.get(v.key)!);
  }

  get(id: number): VideoRow | null {
    const r = this.byId.get(checkId('video id', id));
    return r ? toRow(r) : null;
  }

  byContentKey(key: string): VideoRow | null {
    const r = this.byKey.get(key);
    return r ? toRow(r) : null;
  }

  /** The project's video: the first one added. */
  main(): VideoRow | null {
    const r = this.all.get();
    return r ? toRow(r) : null;
  }

  list(): VideoRow[] {
    return this.all.all().map(toRow);
  }

  /** The file moved (same content key): remember its new place. */
  setPath(id: number, path: string): VideoRow {
    checkText('video path', path, 4096);
    const r = writing(this.db, () => this.setPathStmt.run(path, checkId('video id', id)));
    if (r.changes === 0) throw new StoreError('NOT_FOUND', `video ${id} is not in this project`);
    return this.get(id)!;
  }
}
