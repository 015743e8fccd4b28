// Track summaries: for each live object, the frames that have a mask with their scores, and its
// prompted frames. Read from the covering index, so reopening a big project never touches a blob.
import type Database from 'better-sqlite3';
import type { TrackSummary } from './types';

export function readTrackSummaries(db: Database.Database): TrackSummary[] {
  const byObject = new Map<number, TrackSummary>();
  for (const o of db.prepare<[], { id: number }>('SELECT id FROM objects WHERE deleted = 0 ORDER BY id').all()) {
    byObject.set(o.id, { objectId: o.id, frames: [], scores: [], promptFrames: [] });
  }
  // raw() + iterate: arrays instead of one object per row, for 50,000-row projects.
  const masks = db.prepare('SELECT object_id, frame, score FROM masks INDEXED BY masks_track ORDER BY object_id, frame').raw();
  for (const [objectId, frame, score] of masks.iterate() as Iterable<[number, number, number]>) {
    const t = byObject.get(objectId);
    if (!t) continue; // soft-deleted object
    t.frames.push(frame);
    t.scores.push(score);
  }
  const prompts = db.prepare('SELECT object_id, frame FROM prompts ORDER BY object_id, frame').raw();
  for (const [objectId, frame] of prompts.iterate() as Iterable<[number, number]>) byObject.get(objectId)?.promptFrames.push(frame);
  return [...byObject.values()];
}
