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

// The workflow (docs/workflow.md): the database is the truth and the engine a cache of it, so
// the engine state of every output lives next to its mask; prompt calls are logged in order;
// undo/redo keeps the before/after state of the (object, frame) cells an action touched.
const v2 = `
-- engine state of the output (core/sam2/output-snapshot): object pointer (float32 LE), low-res
-- mask summary (store/engine-codec), flags (bit 0 memory from prompt, bit 1 tracked, bit 2 in
-- reverse) and IoU; NULL for masks written without an engine (e.g. imported).
ALTER TABLE masks ADD COLUMN obj_ptr BLOB;
ALTER TABLE masks ADD COLUMN lowres_summary BLOB;
ALTER TABLE masks ADD COLUMN engine_flags INTEGER;
ALTER TABLE masks ADD COLUMN iou REAL;

-- Conditioning frames keep their exact low-res logits (float32 LE) and model-space points; the
-- rowid order is the engine's order of conditioning frames.
CREATE TABLE cond_outputs (
  object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
  frame INTEGER NOT NULL CHECK (frame >= 0),
  logits BLOB NOT NULL,
  points TEXT,
  mask_prompt INTEGER NOT NULL DEFAULT 0 CHECK (mask_prompt IN (0, 1)),
  PRIMARY KEY (object_id, frame)
);

-- Every prompt call in order (points/labels/box/clearOld, a mask, a chosen candidate, a clear):
-- the click history of each conditioning frame. Calls of an undone action are marked undone.
CREATE TABLE prompt_calls (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
  frame INTEGER NOT NULL CHECK (frame >= 0),
  op TEXT NOT NULL CHECK (op IN ('points', 'mask', 'candidate', 'clear')),
  args TEXT NOT NULL,
  mask_rle BLOB,
  pack_id TEXT,
  undo_entry INTEGER,
  undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
  created_at INTEGER NOT NULL
);
CREATE INDEX prompt_calls_cell ON prompt_calls (object_id, frame, id);
CREATE INDEX prompt_calls_entry ON prompt_calls (undo_entry);

-- Undo/redo: the content of each (object, frame) cell an action touched, before (side 0) and
-- after (side 1): its mask row, conditioning output and prompt (has_* = 0: there was none).
CREATE TABLE undo_cells (
  entry INTEGER NOT NULL,
  side INTEGER NOT NULL CHECK (side IN (0, 1)),
  object_id INTEGER NOT NULL,
  frame INTEGER NOT NULL,
  has_mask INTEGER NOT NULL,
  rle BLOB, area INTEGER, bbox_x INTEGER, bbox_y INTEGER, bbox_w INTEGER, bbox_h INTEGER, score REAL,
  source TEXT, pack_id TEXT, run_id INTEGER, updated_at INTEGER,
  obj_ptr BLOB, lowres_summary BLOB, engine_flags INTEGER, iou REAL,
  has_cond INTEGER NOT NULL, cond_logits BLOB, cond_points TEXT, cond_mask_prompt INTEGER,
  has_prompt INTEGER NOT NULL, p_points TEXT, p_labels TEXT, p_box TEXT, p_mask BLOB, p_created_at INTEGER,
  PRIMARY KEY (entry, side, object_id, frame)
);
`;

// Fixed masks (issue 12): imported masks kept as they are — stored, shown and exported, never
// rewritten by a propagation. SQLite cannot change a CHECK in place, so the masks table is
// rebuilt with the wider one; every row and column is copied unchanged.
const v3 = `
CREATE TABLE masks_v3 (
  object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
  frame INTEGER NOT NULL CHECK (frame >= 0),
  rle BLOB NOT NULL,
  area INTEGER NOT NULL,
  bbox_x INTEGER, bbox_y INTEGER, bbox_w INTEGER, bbox_h INTEGER,
  score REAL NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('prompt', 'propagated', 'corrected', 'fixed')),
  pack_id TEXT,
  run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  updated_at INTEGER NOT NULL,
  obj_ptr BLOB,
  lowres_summary BLOB,
  engine_flags INTEGER,
  iou REAL,
  PRIMARY KEY (object_id, frame)
);
INSERT INTO masks_v3 (object_id, frame, rle, area, bbox_x, bbox_y, bbox_w, bbox_h, score, source, pack_id, run_id, updated_at,
  obj_ptr, lowres_summary, engine_flags, iou)
  SELECT object_id, frame, rle, area, bbox_x, bbox_y, bbox_w, bbox_h, score, source, pack_id, run_id, updated_at,
  obj_ptr, lowres_summary, engine_flags, iou FROM masks;
DROP TABLE masks;
ALTER TABLE masks_v3 RENAME TO masks;
CREATE INDEX masks_track ON masks (object_id, frame, score);
`;

// v4, resuming a propagation (issue 13): a mask row is "tracked since the last prompt change" of
// its object when the run that wrote it is newer than that change. Every write to an object's
// prompts or conditioning outputs (a click, a chosen candidate, a mask, a clear, an undo or redo
// of any of them, a re-prompt on another pack) records the newest run id at that moment, by
// trigger: one mechanism, in the same transaction as the change, whoever makes it.
const v4 = `
-- (no foreign key: purging an object cascades to its prompts, whose trigger writes here; object
-- ids are never reused, so a purged object's row is harmless)
CREATE TABLE prompt_changes (
  object_id INTEGER PRIMARY KEY,
  after_run INTEGER NOT NULL
);
${['prompts', 'cond_outputs']
  .flatMap((t) =>
    [
      ['INSERT', 'NEW'],
      ['UPDATE', 'NEW'],
      ['DELETE', 'OLD'],
    ].map(
      ([op, row]) => `CREATE TRIGGER ${t}_${op!.toLowerCase()}_changes AFTER ${op} ON ${t} BEGIN
  INSERT INTO prompt_changes (object_id, after_run) VALUES (${row}.object_id, (SELECT COALESCE(MAX(id), 0) FROM runs))
  ON CONFLICT (object_id) DO UPDATE SET after_run = excluded.after_run;
END;`,
    ),
  )
  .join('\n')}
-- masks made before this version: nobody knows which prompts they were tracked with
INSERT INTO prompt_changes (object_id, after_run) SELECT id, (SELECT COALESCE(MAX(id), 0) FROM runs) FROM objects;
`;

// v5 (issue 13): the undo/redo stacks are kept with the project, so reopening it can undo what the
// last session did; the bulky part of each entry is already in undo_cells.
const v5 = `
CREATE TABLE undo_entries (
  stack INTEGER NOT NULL CHECK (stack IN (0, 1)),
  pos INTEGER NOT NULL,
  entry TEXT NOT NULL,
  PRIMARY KEY (stack, pos)
);
`;

// v6 (issue 13): a single click's multimask candidates (lossless masks, scores, the chosen one)
// per object and frame, so Tab cycles the same candidates after the project is reopened. They are
// valid only while the frame's prompt is the click that made them: any other change of that
// prompt (a second click, a box, a mask, a clear, an undo of the click, whoever makes it) drops
// them by trigger, in the same transaction. Undo cells carry them, so undo and redo put them back
// with the prompt they belong to.
const v6 = `
CREATE TABLE prompt_candidates (
  object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
  frame INTEGER NOT NULL,
  pack_id TEXT,
  masks BLOB NOT NULL,
  scores TEXT NOT NULL,
  chosen INTEGER NOT NULL,
  PRIMARY KEY (object_id, frame)
);
CREATE TRIGGER prompts_insert_candidates AFTER INSERT ON prompts BEGIN
  DELETE FROM prompt_candidates WHERE object_id = NEW.object_id AND frame = NEW.frame;
END;
CREATE TRIGGER prompts_update_candidates AFTER UPDATE ON prompts
  WHEN OLD.points IS NOT NEW.points OR OLD.labels IS NOT NEW.labels OR OLD.box IS NOT NEW.box OR OLD.mask_rle IS NOT NEW.mask_rle BEGIN
  DELETE FROM prompt_candidates WHERE object_id = NEW.object_id AND frame = NEW.frame;
END;
CREATE TRIGGER prompts_delete_candidates AFTER DELETE ON prompts BEGIN
  DELETE FROM prompt_candidates WHERE object_id = OLD.object_id AND frame = OLD.frame;
END;
ALTER TABLE undo_cells ADD COLUMN has_cand INTEGER NOT NULL DEFAULT 0;
ALTER TABLE undo_cells ADD COLUMN cand_pack TEXT;
ALTER TABLE undo_cells ADD COLUMN cand_masks BLOB;
ALTER TABLE undo_cells ADD COLUMN cand_scores TEXT;
ALTER TABLE undo_cells ADD COLUMN cand_chosen INTEGER;
`;

export const migrations: readonly Migration[] = [
  { version: 1, name: 'videos, objects, prompts, masks, runs, settings', up: (db) => db.exec(v1) },
  { version: 2, name: 'engine state of masks, conditioning outputs, prompt calls, undo cells', up: (db) => db.exec(v2) },
  { version: 3, name: "mask source 'fixed' (imported masks propagation never rewrites)", up: (db) => db.exec(v3) },
  { version: 4, name: 'prompt changes per object (what a resumed propagation recomputes)', up: (db) => db.exec(v4) },
  { version: 5, name: 'undo/redo stacks kept with the project', up: (db) => db.exec(v5) },
  { version: 6, name: "a single click's mask candidates kept with the project", up: (db) => db.exec(v6) },
];

export const SCHEMA_VERSION = migrations[migrations.length - 1]!.version;
