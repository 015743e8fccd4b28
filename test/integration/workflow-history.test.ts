// Undo/redo of prompt calls (the engine is put back exactly: repeating the undone click gives
// the same mask), object edits and deletion, and whole propagation runs; the BUSY rules while a
// propagation runs, and deleting an object during one.
import { afterAll, describe, expect, it } from 'vitest';
import type { FrameMasks, JobSnapshot, MaskCandidates, ObjectInfo, ProjectState, TrackSummary } from '../../src-main/api/contract';
import { decodeMask } from '../../src-main/core/masks/rle';
import { harness, squareAt, until, type Session } from './workflow-harness';

const h = harness('maskline-workflow-history-');
afterAll(() => h.cleanup());
const clip = h.video('clip.mp4', 24);

const maskOf = (f: FrameMasks, id: number) => f.masks.find((m) => m.objectId === id) ?? null;
const state = (x: Session) => x.call<ProjectState>('project.state');

async function run(x: Session, method: string, args: unknown): Promise<JobSnapshot> {
  const { jobId } = await x.call<{ jobId: string }>(method, args);
  return x.job(jobId);
}

describe('undo and redo', () => {
  it('prompt calls: undo restores the previous mask and engine state exactly; a new click drops the redo branch', async () => {
    const x = h.services('prompts');
    await x.openReady(clip);
    await x.call('objects.add', {});
    const click1 = { objectId: 1, frame: 3, points: [squareAt(3)], labels: [1] };
    const click2 = { objectId: 1, frame: 3, points: [squareAt(3), [squareAt(3)[0] + 25, 120]], labels: [1, 0] };
    const a = maskOf((await x.call<{ frame: FrameMasks }>('prompts.add', click1)).frame, 1)!;
    const b = maskOf((await x.call<{ frame: FrameMasks }>('prompts.add', click2)).frame, 1)!;
    expect(b.rle).not.toEqual(a.rle);
    expect(await state(x)).toMatchObject({ canUndo: true, canRedo: false, undoLabel: 'Add negative point on frame 3' });

    let st = await x.call<ProjectState>('history.undo', {});
    expect(st).toMatchObject({ canRedo: true, undoLabel: 'Add point on frame 3', redoLabel: 'Add negative point on frame 3' });
    expect(maskOf(await x.call<FrameMasks>('masks.frame', { frame: 3 }), 1)!.rle).toEqual(a.rle);
    expect(st.prompts).toEqual([{ objectId: 1, frame: 3, points: click1.points, labels: [1], box: null, hasMask: false }]);
    expect(x.events.some((e) => e.event === 'tracks.updated')).toBe(true);
    // the engine holds exactly the state after click 1: the same second click gives the same mask
    const again = maskOf((await x.call<{ frame: FrameMasks }>('prompts.add', click2)).frame, 1)!;
    expect(again.rle).toEqual(b.rle);
    expect(again.score).toBe(b.score);
    expect((await state(x)).canRedo).toBe(false); // a new action drops the redo branch

    await x.call('history.undo', {});
    st = await x.call<ProjectState>('history.undo', {});
    expect(st.prompts).toEqual([]);
    expect((await x.call<FrameMasks>('masks.frame', { frame: 3 })).masks).toEqual([]);
    expect(st.undoLabel).toBe('Add Object 1');
    st = await x.call<ProjectState>('history.redo', {});
    expect(maskOf(await x.call<FrameMasks>('masks.frame', { frame: 3 }), 1)!.rle).toEqual(a.rle);
    const calls = x.s.current!.store.promptCalls.forCell(1, 3);
    expect(calls.map((c) => [c.op, c.undone])).toEqual([
      ['points', false],
      ['points', true],
    ]);
    // candidates after a redo: the redone click brings its kept candidates back (issue 13 item 8),
    // and choosing one applies it exactly as it was offered, though the engine's last click was another
    const kept = (await x.call<MaskCandidates | null>('prompts.candidates', { objectId: 1, frame: 3 }))!;
    expect(kept.masks).toHaveLength(3);
    const other = (kept.chosen + 1) % 3;
    expect(maskOf(await x.call<FrameMasks>('prompts.chooseCandidate', { objectId: 1, frame: 3, index: other }), 1)!.rle).toEqual(kept.masks[other]);
    // a frame whose prompt is not a single click has none to choose from
    expect((await x.fail('prompts.chooseCandidate', { objectId: 1, frame: 5, index: 1 })).code).toBe('NO_CANDIDATES');
    await x.call('prompts.add', click1);
    expect(x.s.current!.store.promptCalls.forCell(1, 3).map((c) => [c.op, c.undone])).toEqual([
      ['points', false],
      ['candidate', false],
      ['points', false],
    ]);
    await x.s.shutdown();
  });

  it('object edits and deletion (with its prompts and masks) undo and redo', async () => {
    const x = h.services('objects');
    await x.openReady(clip);
    const o1 = await x.call<ObjectInfo>('objects.add', {});
    const o2 = await x.call<ObjectInfo>('objects.add', { label: 'car' });
    expect(o2).toMatchObject({ id: 2, name: 'Object 2', label: 'car' });
    expect(o2.color).not.toBe(o1.color);
    await x.call('objects.update', { id: 2, name: 'red car' });
    await x.call('objects.update', { id: 2, hidden: true, locked: true });
    expect((await state(x)).undoLabel).toBe('Edit red car');
    expect((await x.fail('prompts.add', { objectId: 2, frame: 0, points: [[10, 10]], labels: [1] })).code).toBe('LOCKED');
    await x.call('history.undo', {});
    let objs = (await state(x)).objects;
    expect(objs[1]).toMatchObject({ name: 'red car', hidden: false, locked: false });
    await x.call('history.undo', {});
    expect((await state(x)).objects[1]!.name).toBe('Object 2');
    await x.call('history.redo', {});
    expect((await state(x)).objects[1]!.name).toBe('red car');

    await x.call('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
    expect((await run(x, 'track.propagate', { frame: 0, direction: 'forward', range: [0, 9] })).state).toBe('done');
    await x.call('objects.remove', { id: 1 });
    let st = await state(x);
    expect(st.objects.map((o) => o.id)).toEqual([2]);
    expect(st.tracks.map((t) => t.objectId)).toEqual([2]);
    expect(st.undoLabel).toBe('Delete Object 1');
    st = await x.call<ProjectState>('history.undo', {});
    expect(st.objects.map((o) => o.id)).toEqual([1, 2]);
    expect(st.tracks[0]).toMatchObject({ objectId: 1, frames: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], promptFrames: [0] });
    // the engine has the object again: it can be propagated further
    expect((await run(x, 'track.propagate', { frame: 9, direction: 'forward', range: [9, 14], objectIds: [1] })).state).toBe('done');
    objs = (await state(x)).objects;
    expect((await state(x)).tracks[0]!.frames).toHaveLength(15);
    await x.s.shutdown();
  });

  it('a propagation run undoes and redoes as a whole, re-propagation included', async () => {
    const x = h.services('runs');
    const st0 = await x.openReady(clip);
    await x.call('objects.add', {});
    await x.call('prompts.add', { objectId: 1, frame: 3, points: [squareAt(3)], labels: [1] });
    const frame3 = await x.call<FrameMasks>('masks.frame', { frame: 3 });
    // forward 3..23, then backward 3..0: the start frame is visited by both passes
    expect((await run(x, 'track.propagate', { frame: 3, direction: 'both' })).done).toBe(25);
    const propagated = x.s.current!.store.masks.listRange(1, 0, 23);
    expect((await state(x)).undoLabel).toBe('Propagation both ways 0–23 from 3');

    await x.call('history.undo', {});
    let t = (await x.call<TrackSummary[]>('masks.tracks'))[0]!;
    expect(t.frames).toEqual([3]);
    expect(await x.call<FrameMasks>('masks.frame', { frame: 3 })).toEqual(frame3);
    await x.call('history.redo', {});
    expect(x.s.current!.store.masks.listRange(1, 0, 23)).toEqual(propagated);

    await x.call('prompts.add', { objectId: 1, frame: 15, points: [squareAt(15), [10, 200]], labels: [1, 0] });
    expect((await run(x, 'track.repropagateFrom', { frame: 15 })).done).toBe(8);
    const reprop = x.s.current!.store.masks.listRange(1, 16, 23);
    expect(reprop.map((m) => m.runId)).not.toEqual(propagated.slice(16).map((m) => m.runId));
    await x.call('history.undo', {});
    expect(x.s.current!.store.masks.listRange(1, 16, 23)).toEqual(propagated.slice(16));
    await x.call('history.redo', {});
    expect(x.s.current!.store.masks.listRange(1, 16, 23)).toEqual(reprop);
    t = (await x.call<TrackSummary[]>('masks.tracks'))[0]!;
    expect(t.promptFrames).toEqual([3, 15]);
    for (const m of x.s.current!.store.masks.listRange(1, 0, 23)) expect(decodeMask(m.rle).length).toBe(320 * 240);
    expect(st0.dir).toBe(x.s.current!.dir);
    await x.s.shutdown();
  });
});

describe('while a propagation runs', () => {
  it('prompts, undo, another propagation and a pack change are refused with BUSY and change nothing; deleting an object cancels it and keeps what was written', async () => {
    const x = h.services('busy');
    await x.openReady(h.video('long.mp4', 90));
    await x.call('objects.add', {});
    await x.call('objects.add', {});
    await x.call('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
    await x.call('prompts.add', { objectId: 2, frame: 0, points: [], labels: [], box: [200, 10, 300, 60] });
    const before = await x.call<FrameMasks>('masks.frame', { frame: 0 });
    const { jobId } = await x.call<{ jobId: string }>('track.propagate', { frame: 0, direction: 'forward' });
    expect((await state(x)).busy).toEqual({ jobId, kind: 'propagate' });
    for (const [method, args] of [
      ['prompts.add', { objectId: 1, frame: 0, points: [[5, 5]], labels: [1] }],
      ['prompts.clearFrame', { objectId: 1, frame: 0 }],
      ['history.undo', {}],
      ['track.propagate', { frame: 0, direction: 'forward' }],
      ['track.repropagateFrom', { frame: 0 }],
      ['models.select', { id: 'sam2-micro' }],
    ] as const) {
      const e = await x.fail(method, args);
      expect(e.code, method).toBe('BUSY');
      expect(e.message).toMatch(/a propagation is running — wait or cancel it/);
    }
    // edits that do not touch masks go on
    await x.call('objects.add', { name: 'later' });
    await x.call('objects.update', { id: 1, name: 'square' });
    await until(() => x.events.filter((e) => e.event === 'masks.updated').length >= 4, 'four propagated frames');
    await x.call('objects.remove', { id: 2 });
    const job = await x.job(jobId);
    expect(job.state).toBe('cancelled');
    const st = await state(x);
    expect(st.busy).toBeNull();
    expect(st.objects.map((o) => o.name)).toEqual(['square', 'later']);
    const written = st.tracks[0]!.frames;
    expect(written.length).toBeGreaterThanOrEqual(4);
    expect(written.length).toBeLessThan(90);
    expect(written).toEqual(Array.from({ length: written.length }, (_, i) => i));
    const frame0 = await x.call<FrameMasks>('masks.frame', { frame: 0 });
    expect(maskOf(frame0, 1)).toEqual(maskOf(before, 1));
    for (const f of written) expect(decodeMask(maskOf(await x.call<FrameMasks>('masks.frame', { frame: f }), 1)!.rle).length).toBe(320 * 240);
    const run = x.s.current!.store.runs.list(1)[0]!;
    expect(run).toMatchObject({ state: 'cancelled', framesDone: written.length });
    // undo brings the deleted object back with the frames written before the cancel
    const back = await x.call<ProjectState>('history.undo', {});
    expect(back.tracks.find((t) => t.objectId === 2)!.frames).toEqual(written);
    // and the project goes on: the engine continues from the database
    expect((await run2(x, { frame: written.at(-1)!, direction: 'forward', range: [written.at(-1)!, written.at(-1)! + 3] })).state).toBe('done');
    await x.s.shutdown();
  });
});

function run2(x: Session, args: unknown): Promise<JobSnapshot> {
  return run(x, 'track.propagate', args);
}
