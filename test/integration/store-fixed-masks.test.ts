// Schema v3: the mask source 'fixed' (imported masks propagation never rewrites). A v2 project
// migrates with every mask row and its engine state unchanged, and then takes fixed masks.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeMask } from '../../src-main/core/masks/rle';
import { openProjectStore, SCHEMA_VERSION } from '../../src-main/core/store';
import { migrate } from '../../src-main/core/store/migrate';
import { migrations } from '../../src-main/core/store/schema';
import { propagationKeeps } from '../../src-main/services/workflow/frame-writer';
import { tempDir } from '../helpers/make-video';

const work = tempDir('maskline-store-fixed-');
afterAll(() => work.cleanup());
const rle = (on: number[]) =>
  encodeMask(
    Uint8Array.from({ length: 8 }, (_, i) => (on.includes(i) ? 1 : 0)),
    2,
    4,
  );

describe('schema v3', () => {
  it('migrates a v2 project keeping its masks and engine state, then stores fixed masks', () => {
    const dir = join(work.dir, 'v2');
    mkdirSync(dir);
    const db = new Database(join(dir, 'project.sqlite'));
    migrate(db, migrations.slice(0, 2), 'v2');
    // rows as the v2 app wrote them, in a database that stops at v2 (later migrations, such as v4's
    // tables, must not exist yet or re-running them from v2 would not be a real upgrade)
    db.prepare("INSERT INTO objects (name, color, label, created_at, updated_at) VALUES ('old', '#ff0000', '', 1, 1)").run();
    db.prepare(
      "INSERT INTO masks (object_id, frame, rle, area, score, source, updated_at, obj_ptr, engine_flags, iou) VALUES (1, 4, x'01', 2, 1.5, 'propagated', 7, x'0000803f', 3, 0.5)",
    ).run();
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
    const s = openProjectStore(dir, { create: false });
    try {
      expect(s.migrated.from).toBe(2);
      expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(3);
      const row = s.db.prepare('SELECT * FROM masks WHERE object_id = 1 AND frame = 4').get() as Record<string, unknown>;
      expect(row).toMatchObject({ area: 2, score: 1.5, source: 'propagated', updated_at: 7, engine_flags: 3, iou: 0.5 });
      expect(Buffer.from(row.obj_ptr as Buffer)).toEqual(Buffer.from([0, 0, 0x80, 0x3f]));
      s.masks.put({ objectId: 1, frame: 5, rle: rle([1, 2]), score: 10, source: 'fixed' });
      expect(s.masks.get(1, 5)).toMatchObject({ source: 'fixed', area: 2 });
      expect(() => s.masks.put({ objectId: 1, frame: 6, rle: rle([1]), score: 1, source: 'painted' as 'fixed' })).toThrow(
        /prompt, propagated, corrected or fixed/,
      );
      expect(s.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'masks_track'").get()).toEqual({ n: 1 });
    } finally {
      s.close();
    }
  });

  it.each([
    ['fixed', true],
    ['prompt', false],
    ['propagated', false],
    ['corrected', false],
    [undefined, false],
  ] as const)('propagation keeps a stored %s mask: %s', (source, keeps) => {
    expect(propagationKeeps(source)).toBe(keeps);
  });
});
