// Schema v6 (issue 13 item 8): a single click's candidates kept with the project — a v5 project
// migrates with its data, candidates round-trip losslessly, any other change of the frame's
// prompt drops them (triggers, whoever writes), undo cells carry them, an object's purge takes them.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeMask } from '../../src-main/core/masks/rle';
import { openProjectStore, SCHEMA_VERSION, type ProjectStore } from '../../src-main/core/store';
import { packMasks, unpackMasks } from '../../src-main/core/store/candidates';
import { migrate } from '../../src-main/core/store/migrate';
import { migrations } from '../../src-main/core/store/schema';
import { tempDir } from '../helpers/make-video';

const work = tempDir('maskline-store-candidates-');
afterAll(() => work.cleanup());

const W = 7;
const H = 5;
/** A mask with pixel i set for i ≡ k (mod m): every candidate differs. */
const mask = (k: number, m: number) =>
  encodeMask(
    Uint8Array.from({ length: W * H }, (_, i) => (i % m === k ? 1 : 0)),
    H,
    W,
  );
const three = [mask(0, 2), mask(1, 3), mask(2, 5)];

function store(name: string): ProjectStore {
  const dir = join(work.dir, name);
  mkdirSync(dir);
  return openProjectStore(dir);
}

function click(s: ProjectStore, objectId: number, frame: number, chosen = 0): void {
  s.transaction(() => {
    s.prompts.set({ objectId, frame, points: [[3, 2]], labels: [1], box: null });
    s.candidates.set({ objectId, frame, packId: 'micro', masks: three, scores: [0.5, 0.75, 0.25], chosen });
  });
}

describe("schema v6: a click's candidates", () => {
  it('a v5 project migrates to v6 with its data; the new table and undo columns exist', () => {
    const dir = join(work.dir, 'v5');
    mkdirSync(dir);
    const db = new Database(join(dir, 'project.sqlite'));
    migrate(db, migrations.slice(0, 5), 'v5');
    db.prepare("INSERT INTO objects (name, color, label, created_at, updated_at) VALUES ('old', '#ff0000', '', 1, 1)").run();
    db.prepare("INSERT INTO prompts (object_id, frame, points, labels, created_at) VALUES (1, 0, '[[1,1]]', '[1]', 1)").run();
    db.prepare("INSERT INTO undo_entries (stack, pos, entry) VALUES (0, 0, '{}')").run();
    db.close();
    const s = openProjectStore(dir);
    try {
      expect(SCHEMA_VERSION).toBe(6);
      expect(s.migrated).toEqual({ from: 5, to: 6 });
      expect(s.prompts.list()).toHaveLength(1);
      expect(s.candidates.get(1, 0)).toBeNull();
      const cols = (s.db.prepare('PRAGMA table_info(undo_cells)').all() as { name: string }[]).map((c) => c.name);
      expect(cols).toEqual(expect.arrayContaining(['has_cand', 'cand_pack', 'cand_masks', 'cand_scores', 'cand_chosen']));
      click(s, 1, 0, 2);
      expect(s.candidates.get(1, 0)).toMatchObject({ chosen: 2, scores: [0.5, 0.75, 0.25] });
    } finally {
      s.close();
    }
  });

  it('round-trips losslessly; the chosen one changes; bad input is refused', () => {
    expect(unpackMasks(packMasks(three))).toEqual(three);
    const s = store('roundtrip');
    try {
      const o = s.objects.add({});
      click(s, o.id, 4);
      expect(s.candidates.get(o.id, 4)).toEqual({ objectId: o.id, frame: 4, packId: 'micro', masks: three, scores: [0.5, 0.75, 0.25], chosen: 0 });
      expect(s.candidates.choose(o.id, 4, 1)).toBe(true);
      expect(s.candidates.get(o.id, 4)!.chosen).toBe(1);
      expect(s.candidates.choose(o.id, 5, 1)).toBe(false);
      expect(() => s.candidates.set({ objectId: o.id, frame: 4, packId: null, masks: three, scores: [1], chosen: 0 })).toThrow(/one score per mask/);
      expect(() => s.candidates.set({ objectId: o.id, frame: 4, packId: null, masks: three, scores: [1, 1, 1], chosen: 3 })).toThrow(
        /chosen candidate must be 0..2/,
      );
      expect(() => s.candidates.set({ objectId: 999, frame: 4, packId: null, masks: three, scores: [1, 1, 1], chosen: 0 })).toThrow(
        /object 999 does not exist/,
      );
    } finally {
      s.close();
    }
  });

  it("the frame's prompt changing in any way drops them; rewriting the same click keeps them; other frames are untouched", () => {
    const s = store('triggers');
    try {
      const o = s.objects.add({});
      click(s, o.id, 1);
      click(s, o.id, 2);
      // the same click written again (a chosen candidate rewrites the prompt as it was)
      s.prompts.set({ objectId: o.id, frame: 1, points: [[3, 2]], labels: [1], box: null });
      expect(s.candidates.get(o.id, 1)).not.toBeNull();
      // a second point
      s.prompts.set({
        objectId: o.id,
        frame: 1,
        points: [
          [3, 2],
          [1, 1],
        ],
        labels: [1, 0],
        box: null,
      });
      expect(s.candidates.get(o.id, 1)).toBeNull();
      expect(s.candidates.get(o.id, 2)).not.toBeNull();
      // a mask prompt
      click(s, o.id, 1);
      s.prompts.set({ objectId: o.id, frame: 1, points: [], labels: [], box: null, mask: three[0] });
      expect(s.candidates.get(o.id, 1)).toBeNull();
      // a cleared frame
      s.prompts.remove(o.id, 2);
      expect(s.candidates.get(o.id, 2)).toBeNull();
      // a purged object takes its candidates
      click(s, o.id, 3);
      s.objects.purge(o.id);
      expect(s.db.prepare('SELECT count(*) AS n FROM prompt_candidates').get()).toEqual({ n: 0 });
    } finally {
      s.close();
    }
  });

  it('undo cells carry them: undo puts back the click with its candidates and chosen index, redo the state after', () => {
    const s = store('undo');
    try {
      const o = s.objects.add({});
      const cell = [{ objectId: o.id, frame: 0 }];
      // entry 1: the click (before: nothing)
      s.transaction(() => {
        s.undoCells.capture(1, 0, cell);
        click(s, o.id, 0, 0);
        s.undoCells.capture(1, 1, cell);
      });
      // entry 2: Tab to candidate 2
      s.transaction(() => {
        s.undoCells.capture(2, 0, cell);
        s.prompts.set({ objectId: o.id, frame: 0, points: [[3, 2]], labels: [1], box: null });
        s.candidates.choose(o.id, 0, 2);
        s.undoCells.capture(2, 1, cell);
      });
      // entry 3: a second point drops them
      s.transaction(() => {
        s.undoCells.capture(3, 0, cell);
        s.prompts.set({
          objectId: o.id,
          frame: 0,
          points: [
            [3, 2],
            [1, 1],
          ],
          labels: [1, 1],
          box: null,
        });
        s.undoCells.capture(3, 1, cell);
      });
      expect(s.candidates.get(o.id, 0)).toBeNull();
      s.undoCells.restore(3, 0);
      expect(s.candidates.get(o.id, 0)).toMatchObject({ masks: three, chosen: 2 });
      s.undoCells.restore(2, 0);
      expect(s.candidates.get(o.id, 0)!.chosen).toBe(0);
      s.undoCells.restore(2, 1);
      expect(s.candidates.get(o.id, 0)!.chosen).toBe(2);
      s.undoCells.restore(1, 0);
      expect(s.candidates.get(o.id, 0)).toBeNull();
      expect(s.prompts.get(o.id, 0)).toBeNull();
    } finally {
      s.close();
    }
  });
});
