// The project database's schema as an ordered list of migrations. Never edit a released
// migration: add a new one. Each runs in one transaction together with the version bump,
// so a crash leaves the database at the previous version, never half-migrated.
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/** 'MKLN': marks a SQLite file as a Maskline project (PRAGMA application_id). */
export const APPLICATION_ID = 0x4d4b4c4e;

const v1 = `
CREATE TABLE videos (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  key TEXT NOT NULL UNIQUE,
  probe TEXT NOT NULL,
  added_at INTEGER NOT NULL
);

-- Objects are soft-deleted (deleted = 1) so an undo can bring them back with their prompts and
-- masks; AUTOINCREMENT keeps ids of purged objects from being reused by new ones.
CREATE TABLE objects (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  color TEXT NOT NULL,
  label TEXT NOT NULL DEFAULT '',
  hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
  locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- One row per object and conditioning frame: all the clicks (and box / mask) given there.
CREATE TABLE prompts (
  object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
  frame INTEGER NOT NULL CHECK (frame >= 0),
  points TEXT NOT NULL,
  labels TEXT NOT NULL,
  box TEXT,
  mask_rle BLOB,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (object_id, frame)
);

CREATE TABLE runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  params TEXT NOT NULL,
  pack_id TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'cancelled', 'interrupted')),
  frames_done INTEGER NOT NULL DEFAULT 0,
  error TEXT
);

CREATE TABLE masks (
  object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
  frame INTEGER NOT NULL CHECK (frame >= 0),
  rle BLOB NOT NULL,
  area INTEGER NOT NULL,
  bbox_x INTEGER, bbox_y INTEGER, bbox_w INTEGER, bbox_h INTEGER,
  score REAL NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('prompt', 'propagated', 'corrected')),
  pack_id TEXT,
  run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (object_id, frame)
);
-- Covers the track summary (frames and scores per object) so reopening a project never
-- reads a mask blob.
CREATE INDEX masks_track ON masks (object_id, frame, score);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

export const migrations: readonly Migration[] = [
  { version: 1, name: 'videos, objects, prompts, masks, runs, settings', up: (db) => db.exec(v1) },
];

export const SCHEMA_VERSION = migrations[migrations.length - 1]!.version;
