// Schema v4 (issue 13): a v2 project opens and migrates (its masks count as stale: nobody knows
// which prompts they were tracked with), and the prompt-change triggers decide which masks are
// "tracked since the last prompt change" — whoever writes the prompts (a click, an undo).
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeMask } from '../../src-main/core/masks/rle';
import { openProjectStore, SCHEMA_VERSION, type MaskEngineState, type ProjectStore } from '../../src-main/core/store';
import { migrate } from '../../src-main/core/store/migrate';
import { migrations } from '../../src-main/core/store/schema';
import { tempDir } from '../helpers/make-video';

const work = tempDir('maskline-store-tracked-');
afterAll(() => work.cleanup());

const rle = encodeMask(Uint8Array.from([0, 1, 1, 0, 0, 0, 0, 0]), 2, 4);
const engine = (tracked: 'forward' | 'reverse' | null): MaskEngineState =>
  ({
    objPtr: Float32Array.from([1, 2]),
    summary: { runs: [[0, 1]], fgMean: 1, bgMean: -1 },
    memFromPrompt: false,
    tracked,
    iou: 0.9,
  }) as unknown as MaskEngineState;

function propagated(s: ProjectStore, objectId: number, frames: number[], runId: number, tracked: 'forward' | 'reverse' = 'forward', packId = 'micro'): void {
  s.transaction(() => {
    for (const frame of frames) s.masks.put({ objectId, frame, rle, score: 1, source: 'propagated', packId, runId, engine: engine(tracked) });
  });
}

describe('schema v4: prompt changes', () => {
  it('a v2 project opens and migrates; its old masks are stale, the prompts it has stay', () => {
    const dir = join(work.dir, 'v2');
    mkdirSync(dir);
    const db = new Database(join(dir, 'project.sqlite'));
    migrate(db, migrations.slice(0, 2), 'v2');
    db.prepare("INSERT INTO objects (name, color, label, created_at, updated_at) VALUES ('old', '#ff0000', '', 1, 1)").run();
    db.prepare("INSERT INTO runs (kind, params, pack_id, started_at, state) VALUES ('propagate', '{}', 'micro', 1, 'done')").run();
    db.prepare("INSERT INTO prompts (object_id, frame, points, labels, created_at) VALUES (1, 0, '[[1,1]]', '[1]', 1)").run();
    db.close();
    const s = openProjectStore(dir);
    try {
      expect(s.migrated).toEqual({ from: 2, to: SCHEMA_VERSION });
      expect(s.prompts.list()).toHaveLength(1);
      propagated(s, 1, [1, 2, 3], 1);
      // written by run 1, which is not newer than the migration's mark
      expect([...s.tracked.currentFrames(1, false, 'micro')]).toEqual([]);
    } finally {
      s.close();
    }
  });

  it('masks of runs after the last prompt change are current, per direction and pack; any prompt write makes them stale', () => {
    const s = openProjectStore(join(work.dir, 'p'));
    try {
      const o = s.objects.add();
      s.prompts.set({ objectId: o.id, frame: 0, points: [[1, 1]], labels: [1], box: null, mask: null });
      s.engine.setCond(o.id, 0, { logits: Float32Array.from([1, 1, 1, 1]), points: null, maskPrompt: false });
      s.masks.put({ objectId: o.id, frame: 0, rle, score: 1, source: 'prompt', packId: 'micro', engine: engine(null) });
      const cur0 = () => [...s.tracked.currentFrames(o.id, false, 'micro')];
      expect(cur0(), 'a prompted frame no pass visited yet').toEqual([]);
      s.masks.setTracked(o.id, 0, 'forward');
      const r1 = s.runs.start({ kind: 'propagate', packId: 'micro' });
      propagated(s, o.id, [1, 2, 3], r1.id);
      propagated(s, o.id, [7], r1.id, 'reverse');
      propagated(s, o.id, [8], r1.id, 'forward', 'other-pack');
      const cur = (reverse = false, pack = 'micro') => [...s.tracked.currentFrames(o.id, reverse, pack)].sort((a, b) => a - b);
      expect(cur()).toEqual([0, 1, 2, 3]); // the prompted frame, visited forward, counts
      expect(cur(true)).toEqual([7]);
      expect(cur(false, 'other-pack')).toEqual([0, 8]);
      // a click elsewhere (a prompt write) makes every tracked frame of the object stale, but
      // not the visit of the prompted frame
      s.prompts.set({ objectId: o.id, frame: 5, points: [[2, 2]], labels: [1], box: null, mask: null });
      expect(cur()).toEqual([0]);
      expect(cur(false, 'other-pack'), 'the prompted frame does not depend on the pack').toEqual([0]);
      const r2 = s.runs.start({ kind: 'propagate', packId: 'micro' });
      propagated(s, o.id, [1, 2], r2.id);
      expect(cur()).toEqual([0, 1, 2]);
      // removing a conditioning output (a clear, an undo) is a prompt change too
      s.engine.removeCond(o.id, 0);
      expect(cur()).toEqual([]);
      // another object's prompts change nothing here
      const o2 = s.objects.add();
      const r3 = s.runs.start({ kind: 'propagate', packId: 'micro' });
      propagated(s, o.id, [1], r3.id);
      s.prompts.set({ objectId: o2.id, frame: 1, points: [[2, 2]], labels: [1], box: null, mask: null });
      expect(cur()).toEqual([1]);
      // purging an object (cascading to its prompts) works with the triggers in place
      s.objects.remove(o2.id);
      s.objects.purge(o2.id);
      expect(s.objects.getRow(o2.id)).toBeNull();
    } finally {
      s.close();
    }
  });
});
