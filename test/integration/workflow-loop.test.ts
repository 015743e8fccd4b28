// The annotation loop through AppServices on the micro pack and a generated video: click →
// mask at once (with candidates), propagate, correct a frame, re-propagate from it — asserting
// which frames changed and that prompted frames never did; then close, reopen and continue,
// which must give exactly what an engine with output budget 0 gives without the reopen.
import { afterAll, describe, expect, it } from 'vitest';
import type { FrameMasks, JobSnapshot, MaskCandidates, ObjectInfo, ProjectState, TrackSummary } from '../../src-main/api/contract';
import { rleArea } from '../../src-main/core/masks/rle';
import { openProjectStore, type StoredMask } from '../../src-main/core/store';
import { engineReady } from '../helpers/services';
import { harness, squareAt, until, type Session } from './workflow-harness';

const h = harness('maskline-workflow-loop-');
afterAll(() => h.cleanup());
const clip = h.video('clip.mp4', 24);

async function propagate(x: Session, args: Record<string, unknown>): Promise<JobSnapshot> {
  const { kind, ...rest } = args;
  const { jobId } = await x.call<{ jobId: string }>(kind === 'repropagate' ? 'track.repropagateFrom' : 'track.propagate', rest);
  const j = await x.job(jobId);
  expect(j.state, j.error ?? '').toBe('done');
  return j;
}

function rows(dir: string, objectId: number): StoredMask[] {
  const s = openProjectStore(dir, { create: false });
  try {
    return s.masks.listRange(objectId, 0, 1000);
  } finally {
    s.close();
  }
}

describe('the loop', () => {
  it('click, propagate, correct, re-propagate: only the frames after the correction change, prompted frames never', async () => {
    const x = h.services('loop');
    const st = await x.openReady(clip);
    expect(st.engine).toMatchObject({ state: 'ready', pack: { id: 'sam2-micro', imageSize: 256 }, threads: 1, error: null });
    expect(Object.values(st.engine!.providers)).toEqual(['cpu', 'cpu', 'cpu', 'cpu']);
    expect(st).toMatchObject({ canUndo: false, undoLabel: null, videoMissing: false, busy: null });

    const obj = await x.call<ObjectInfo>('objects.add', {});
    expect(obj).toMatchObject({ id: 1, name: 'Object 1', hidden: false, locked: false });
    const first = await x.call<{ frame: FrameMasks; candidates: MaskCandidates }>('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
    expect(first.frame.frame).toBe(0);
    expect(first.frame.masks).toHaveLength(1);
    expect(first.frame.masks[0]).toMatchObject({ objectId: 1, source: 'prompt', rle: { w: 320, h: 240 } });
    expect(first.candidates.masks).toHaveLength(3);
    expect(first.candidates.iouScores).toHaveLength(3);
    expect(first.candidates.chosen).toBeGreaterThanOrEqual(0);
    expect((await x.call<ProjectState>('project.state')).undoLabel).toBe('Add point on frame 0');

    const updates = () => x.events.filter((e) => e.event === 'masks.updated').map((e) => e.payload as FrameMasks);
    const run1 = await propagate(x, { frame: 0, direction: 'forward' });
    expect(run1).toMatchObject({ kind: 'propagate', done: 24, total: 24, unit: 'frames', errorCode: null });
    expect(updates().map((u) => u.frame)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(updates()[0]!.masks[0]!.source).toBe('prompt');
    expect(updates()[5]!.masks[0]!.source).toBe('propagated');
    const tracks = await x.call<TrackSummary[]>('masks.tracks');
    expect(tracks).toEqual([{ objectId: 1, frames: Array.from({ length: 24 }, (_, i) => i), scores: expect.any(Array), promptFrames: [0] }]);
    expect(x.events.some((e) => e.event === 'tracks.updated')).toBe(true);

    const before = rows(st.dir, 1);
    expect(before.filter((m) => m.source === 'propagated')).toHaveLength(23);
    const runId = before[5]!.runId;
    expect(before[0]).toMatchObject({ source: 'prompt', runId: null, packId: 'sam2-micro' });

    // a correction on a tracked frame: the square plus a negative click beside it
    const fix = await x.call<{ frame: FrameMasks }>('prompts.add', { objectId: 1, frame: 12, points: [squareAt(12), [20, 20]], labels: [1, 0] });
    expect(fix.frame.masks[0]!.source).toBe('corrected');
    const afterFix = rows(st.dir, 1);
    await propagate(x, { kind: 'repropagate', frame: 12 });
    const after = rows(st.dir, 1);
    const changed = after.filter((m, i) => m.runId !== afterFix[i]!.runId || m.updatedAt !== afterFix[i]!.updatedAt).map((m) => m.frame);
    expect(changed).toEqual(Array.from({ length: 11 }, (_, i) => 13 + i));
    for (const f of [0, 12]) expect(after[f]).toEqual(afterFix[f]); // prompted frames: not rewritten
    for (let f = 1; f < 12; f++) expect(after[f]).toMatchObject({ runId, rle: before[f]!.rle });
    expect(new Set(after.slice(13).map((m) => m.runId)).size).toBe(1);
    expect(after[13]!.runId).not.toBe(runId);

    // a second prompted frame bounds the next re-propagation
    await x.call('prompts.add', { objectId: 1, frame: 20, points: [squareAt(20)], labels: [1] });
    const mid = rows(st.dir, 1);
    await propagate(x, { kind: 'repropagate', frame: 12 });
    const last = rows(st.dir, 1);
    expect(last.filter((m, i) => m.updatedAt !== mid[i]!.updatedAt).map((m) => m.frame)).toEqual([13, 14, 15, 16, 17, 18, 19]);
    expect((await x.call<TrackSummary[]>('masks.tracks'))[0]!.promptFrames).toEqual([0, 12, 20]);
    expect(last.every((m) => rleArea(m.rle) > 0)).toBe(true);
    await x.s.shutdown();
  });

  it('close, reopen and continue gives exactly what an unbroken session with output budget 0 gives', async () => {
    const script = async (x: Session, reopen: boolean): Promise<StoredMask[]> => {
      let st = await x.openReady(clip, `${x.dataDir}/project`);
      await x.call('objects.add', {});
      await x.call('objects.add', { name: 'box' });
      await x.call('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
      await x.call('prompts.add', { objectId: 2, frame: 0, points: [], labels: [], box: [200, 20, 300, 80] });
      await propagate(x, { frame: 0, direction: 'forward' });
      let y = x;
      if (reopen) {
        await x.s.shutdown();
        y = h.services(`${x.dataDir.split('/').pop()}`, { engine: { outputCacheBytes: 0 } });
        st = await y.call<ProjectState>('project.open', { dir: st.dir });
        await until(() => engineReady(y.s), 'the engine');
        expect(st.tracks.map((t) => t.frames.length)).toEqual([24, 24]);
        expect(st.undoLabel).toBe('Propagation forward 0–23'); // the undo history is kept with the project (issue 13)
      }
      await y.call('prompts.add', { objectId: 1, frame: 9, points: [squareAt(9), [10, 10]], labels: [1, 0] });
      await propagate(y, { kind: 'repropagate', frame: 9 });
      await propagate(y, { frame: 23, direction: 'backward', range: [4, 23] });
      const out = [...rows(st.dir, 1), ...rows(st.dir, 2)];
      await y.s.shutdown();
      return out;
    };
    const unbroken = await script(h.services('unbroken', { engine: { outputCacheBytes: 0 } }), false);
    const reopened = await script(h.services('reopened', { engine: { outputCacheBytes: 0 } }), true);
    expect(reopened.map((m) => [m.objectId, m.frame, m.source])).toEqual(unbroken.map((m) => [m.objectId, m.frame, m.source]));
    reopened.forEach((m, i) => {
      expect(m.rle, `object ${m.objectId} frame ${m.frame}`).toEqual(unbroken[i]!.rle);
      expect(m.score).toBe(unbroken[i]!.score);
    });
  });
});
