// Issue 13 (8): the undo/redo history survives closing and reopening the project (and a new app):
// labels, undo and redo work on what the last session did, objects a saved entry can bring back
// are kept; an older project (schema v4) opens and migrates with an empty history.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FrameMasks, JobSnapshot, MaskCandidates, ProjectState } from '../../src-main/api/contract';
import { openProjectStore, SCHEMA_VERSION } from '../../src-main/core/store';
import { migrate } from '../../src-main/core/store/migrate';
import { migrations } from '../../src-main/core/store/schema';
import { harness, squareAt, until, type Session } from './workflow-harness';

const h = harness('maskline-history-reopen-');
afterAll(() => h.cleanup());
const clip = h.video('clip.mp4', 16);
const state = (x: Session) => x.call<ProjectState>('project.state');

async function run(x: Session, method: string, args: unknown): Promise<JobSnapshot> {
  const { jobId } = await x.call<{ jobId: string }>(method, args);
  const j = await until(
    () => {
      const s = x.s.jobs.get(jobId);
      return s && ['done', 'failed', 'cancelled'].includes(s.state) ? s : null;
    },
    jobId,
    300_000,
  );
  for (let i = 0; i < 500 && (await state(x)).busy; i++) await new Promise((r) => setTimeout(r, 20));
  return j;
}

describe('the undo history is kept with the project', () => {
  it('close and reopen (and a new app): the same labels; undo and redo work on the last session’s actions', { timeout: 400_000 }, async () => {
    const x = h.services('a');
    const st0 = await x.openReady(clip);
    const dir = st0.dir;
    await x.call('objects.add', {});
    await x.call('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
    expect((await run(x, 'track.propagate', { frame: 0, direction: 'forward' })).state).toBe('done');
    const tracked = await x.call<FrameMasks>('masks.frame', { frame: 8 });
    await x.call('objects.add', {});
    await x.call('objects.remove', { id: 2 });
    await x.call('history.undo', {}); // Delete Object 2 undone: it is back
    const before = await state(x);
    expect(before).toMatchObject({ canUndo: true, canRedo: true, undoLabel: 'Add Object 2', redoLabel: 'Delete Object 2' });
    await x.call('project.close', {});

    // reopen in the same app
    const re = await x.call<ProjectState>('project.open', { dir });
    expect(re).toMatchObject({ canUndo: true, canRedo: true, undoLabel: 'Add Object 2', redoLabel: 'Delete Object 2' });
    await x.s.shutdown();

    // a new app: redo the delete, undo it, then undo back through the propagation and the click
    const y = h.services('b');
    await y.call<ProjectState>('project.open', { dir });
    await until(() => Object.keys(y.s.engine.status().providers).length, 'the engine');
    let st = await y.call<ProjectState>('history.redo', {});
    expect(st.objects.map((o) => o.id)).toEqual([1]);
    st = await y.call<ProjectState>('history.undo', {});
    expect(st.objects.map((o) => o.id)).toEqual([1, 2]);
    st = await y.call<ProjectState>('history.undo', {}); // Add Object 2
    expect(st.undoLabel).toBe('Propagation forward 0–15');
    expect((await y.call<FrameMasks>('masks.frame', { frame: 8 })).masks).toEqual(tracked.masks);
    st = await y.call<ProjectState>('history.undo', {});
    expect(st.undoLabel).toBe('Add point on frame 0');
    expect((await y.call<FrameMasks>('masks.frame', { frame: 8 })).masks).toEqual([]);
    expect(st.tracks[0]!.frames).toEqual([0]);
    st = await y.call<ProjectState>('history.undo', {});
    expect(st.prompts).toEqual([]);
    // and forward again: the click and the whole run come back
    await y.call('history.redo', {});
    st = await y.call<ProjectState>('history.redo', {});
    expect(st.tracks[0]!.frames).toHaveLength(16);
    expect((await y.call<FrameMasks>('masks.frame', { frame: 8 })).masks).toEqual(tracked.masks);
    // the engine follows the database: a click after all this works
    await y.call('prompts.add', { objectId: 1, frame: 8, points: [squareAt(8)], labels: [1] });
    expect((await y.call<ProjectState>('project.state')).undoLabel).toBe('Add point on frame 8');
    await y.s.shutdown();
  });

  it(
    "a single click's candidates and the chosen one survive closing and reopening; Tab (choose) continues on the same candidates in a new app",
    { timeout: 400_000 },
    async () => {
      const x = h.services('cand-a');
      const st0 = await x.openReady(clip);
      const dir = st0.dir;
      await x.call('objects.add', {});
      const click = await x.call<{ frame: FrameMasks; candidates: MaskCandidates | null }>('prompts.add', {
        objectId: 1,
        frame: 3,
        points: [squareAt(3)],
        labels: [1],
      });
      const offered = click.candidates!;
      expect(offered.masks.length).toBe(3);
      // Tab: the next candidate
      const next = (offered.chosen + 1) % 3;
      const chosenMasks = await x.call<FrameMasks>('prompts.chooseCandidate', { objectId: 1, frame: 3, index: next });
      expect(chosenMasks.masks[0]!.rle).toEqual(offered.masks[next]);
      expect(await x.call('prompts.candidates', { objectId: 1, frame: 3 })).toEqual({ ...offered, chosen: next });
      expect(await x.call('prompts.candidates', { objectId: 1, frame: 4 })).toBeNull();
      await x.call('project.close', {});
      await x.s.shutdown();

      // a new app: the same candidates, the same chosen one, the same mask on screen
      const y = h.services('cand-b');
      await y.call<ProjectState>('project.open', { dir });
      await until(() => Object.keys(y.s.engine.status().providers).length, 'the engine');
      expect(await y.call('prompts.candidates', { objectId: 1, frame: 3 })).toEqual({ ...offered, chosen: next });
      expect((await y.call<FrameMasks>('masks.frame', { frame: 3 })).masks).toEqual(chosenMasks.masks);
      // Tab again: the engine of the new app gives the stored click's candidates back and applies the choice
      const after = (next + 1) % 3;
      const again = await y.call<FrameMasks>('prompts.chooseCandidate', { objectId: 1, frame: 3, index: after });
      expect(again.masks[0]!.rle).toEqual(offered.masks[after]);
      expect(await y.call('prompts.candidates', { objectId: 1, frame: 3 })).toMatchObject({ chosen: after, masks: offered.masks });
      // undo goes back to the earlier choice, candidates and all
      let st = await y.call<ProjectState>('history.undo', {});
      expect(await y.call('prompts.candidates', { objectId: 1, frame: 3 })).toMatchObject({ chosen: next });
      expect((await y.call<FrameMasks>('masks.frame', { frame: 3 })).masks).toEqual(chosenMasks.masks);
      // a second point on the frame: the click's candidates no longer apply
      await y.call('prompts.add', { objectId: 1, frame: 3, points: [[2, 2]], labels: [0], clearOld: false });
      expect(await y.call('prompts.candidates', { objectId: 1, frame: 3 })).toBeNull();
      st = await y.call<ProjectState>('history.undo', {});
      expect(st.prompts).toHaveLength(1);
      expect(await y.call('prompts.candidates', { objectId: 1, frame: 3 })).toMatchObject({ chosen: next });
      await y.s.shutdown();
    },
  );

  it('a v4 project opens, migrates, and starts with an empty history', () => {
    const dir = join(h.root, 'v4');
    mkdirSync(dir);
    const db = new Database(join(dir, 'project.sqlite'));
    migrate(db, migrations.slice(0, 4), 'v4');
    db.prepare("INSERT INTO objects (name, color, label, created_at, updated_at) VALUES ('old', '#ff0000', '', 1, 1)").run();
    db.close();
    const s = openProjectStore(dir);
    try {
      expect(s.migrated).toEqual({ from: 4, to: SCHEMA_VERSION });
      expect(s.undoEntries.load()).toEqual({ undo: [], redo: [] });
      expect(s.objects.get(1)?.name).toBe('old');
      s.undoEntries.save({ undo: [{ kind: 'object-add', id: 3, label: 'Add old', objectId: 1 }], redo: [] });
      expect(s.undoEntries.load().undo).toHaveLength(1);
    } finally {
      s.close();
    }
  });
});
