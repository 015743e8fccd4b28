// Segment everything through AppServices on the micro pack (random weights: the official
// thresholds let nothing through, so the runs here use low ones, as amg-micro.test.ts does):
// the job and its proposals (event and segment.proposals), BUSY while it runs, cancel, keeping
// proposals as objects with mask prompts stored like prompts.addMask stores them, one undo step
// for all of them, a failed keep leaving nothing behind, and the kept objects propagating.
import { afterAll, describe, expect, it } from 'vitest';
import type { FrameMasks, JobSnapshot, ObjectInfo, ProjectState, Proposal, SegmentJobResult } from '../../src-main/api/contract';
import type { SyncContext } from '../../src-main/services/workflow/engine-sync';
import { nextObjectColors } from '../../src-main/shared/palette';
import type { Workflow } from '../../src-main/services/workflow/workflow';
import { harness, squareAt, until, type Session } from './workflow-harness';

const h = harness('maskline-workflow-segment-');
afterAll(() => h.cleanup());
const clip = h.video('clip.mp4', 12);

/** Low enough for the micro pack's random weights to give a handful of proposals on frame 0. */
const LOW = { pointsPerSide: 8, predIouThresh: 0.7, stabilityScoreThresh: 0, boxNmsThresh: 0.9 };

const maskOf = (f: FrameMasks, id: number) => f.masks.find((m) => m.objectId === id) ?? null;
const state = (x: Session) => x.call<ProjectState>('project.state');
const proposalEvents = (x: Session) =>
  x.events.filter((e) => e.event === 'segment.proposals').map((e) => e.payload as { frame: number; proposals: Proposal[] });

/** Busy clears once the job's function has returned (after its final snapshot). */
async function notBusy(x: Session): Promise<void> {
  for (let t = Date.now(); (await state(x)).busy !== null;) {
    if (Date.now() - t > 10_000) throw new Error('the project stayed busy');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function segment(x: Session, args: object): Promise<JobSnapshot> {
  const { jobId } = await x.call<{ jobId: string }>('segment.everything', args);
  return x.job(jobId);
}

describe('segment.everything', () => {
  it('runs as a job with progress in points; its proposals come as an event and from segment.proposals', async () => {
    const x = h.services('run');
    await x.openReady(clip);
    expect(await x.call('segment.proposals', { frame: 0 })).toEqual([]);
    const { jobId } = await x.call<{ jobId: string }>('segment.everything', { frame: 0, ...LOW });
    expect((await state(x)).busy).toEqual({ jobId, kind: 'segment' });
    const job = await x.job(jobId);
    expect(job).toMatchObject({ kind: 'segment', state: 'done', unit: 'points', done: 64, total: 64, label: 'Segment everything on frame 0 (8×8 points)' });
    const [ev] = proposalEvents(x);
    expect(ev!.frame).toBe(0);
    const list = await x.call<Proposal[]>('segment.proposals', { frame: 0 });
    expect(list).toEqual(ev!.proposals);
    expect(list.length).toBeGreaterThanOrEqual(3);
    expect(job.result).toMatchObject({
      frame: 0,
      proposals: list.length,
      stats: { points: 64, decodedMasks: 192, kept: list.length, funnel: { candidates: 192 } },
    });
    // the funnel reaches the job's result (the Segment panel shows it): it ends at the proposals
    expect((job.result as SegmentJobResult).stats.funnel.stages.at(-1)!.kept).toBe(list.length);
    // largest first, ids are positions, every mask at the video's size and above the thresholds
    expect(list.map((p) => p.id)).toEqual(list.map((_, i) => i));
    for (let i = 1; i < list.length; i++) expect(list[i]!.area).toBeLessThanOrEqual(list[i - 1]!.area);
    for (const p of list) {
      expect(p.rle).toMatchObject({ w: 320, h: 240 });
      expect(p.predictedIou).toBeGreaterThan(0.7);
    }
    expect(
      x.events.filter((e) => e.event === 'job.updated' && (e.payload as JobSnapshot).id === jobId).some((e) => (e.payload as JobSnapshot).state === 'running'),
    ).toBe(true);
    await notBusy(x);
    // other frames have their own (empty) list
    expect(await x.call('segment.proposals', { frame: 5 })).toEqual([]);

    // refusals before any work: the frame, the options, no project
    expect((await x.fail('segment.everything', { frame: 12 })).message).toMatch(/past the last frame \(11\)/);
    expect((await x.fail('segment.everything', { frame: 0, pointsPerSide: 0 })).code).toBe('BAD_ARGS');
    expect((await x.fail('segment.everything', { frame: 0, predIouThresh: 1.5 })).message).toMatch(/predIouThresh must be between 0 and 1/);
    expect((await x.fail('segment.proposals', { frame: 99 })).code).toBe('BAD_ARGS');
    await x.call('project.close', {});
    expect((await x.fail('segment.everything', { frame: 0 })).code).toBe('NO_PROJECT');
    await x.s.shutdown();
  });

  it('makes the project busy: prompts, undo, propagation and keep answer BUSY; cancel stops it and keeps the earlier proposals', async () => {
    const x = h.services('busy');
    await x.openReady(clip);
    await x.call('objects.add', {});
    await x.call('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
    expect((await segment(x, { frame: 0, ...LOW })).state).toBe('done');
    const before = await x.call<Proposal[]>('segment.proposals', { frame: 0 });

    // 64 × 64 points with the official thresholds: thousands of decoder rows, long enough to poke at
    const { jobId } = await x.call<{ jobId: string }>('segment.everything', { frame: 0, pointsPerSide: 64 });
    await until(() => (x.s.jobs.get(jobId)?.done ?? 0) > 0, 'the run to make progress');
    const refused = [
      await x.fail('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] }),
      await x.fail('prompts.addMask', { objectId: 1, frame: 2, rle: before[0]!.rle }),
      await x.fail('history.undo', {}),
      await x.fail('track.propagate', { frame: 0, direction: 'forward' }),
      await x.fail('segment.everything', { frame: 1, ...LOW }),
      await x.fail('segment.keep', { frame: 0, proposalIds: [0] }),
      await x.fail('models.select', { id: 'sam2-micro' }),
    ];
    for (const e of refused)
      expect(e).toMatchObject({ code: 'BUSY', message: 'segment everything is running — wait or cancel it.', details: { jobId, kind: 'segment' } });
    // object edits do not need the engine
    const added = await x.call<ObjectInfo>('objects.add', {});
    expect(added.id).toBe(2);

    await x.call('jobs.cancel', { id: jobId });
    const j = await x.job(jobId);
    expect(j.state).toBe('cancelled');
    expect(j.done).toBeLessThan(j.total);
    await notBusy(x);
    expect(await x.call('segment.proposals', { frame: 0 })).toEqual(before);
    expect(proposalEvents(x)).toHaveLength(1);
    // the engine answers at once, the click is the same as before the run
    const again = await x.call<{ frame: FrameMasks }>('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
    expect(maskOf(again.frame, 1)).not.toBeNull();
    await x.s.shutdown();
  });
});

describe('segment.keep', () => {
  it('makes one object per proposal with a mask prompt like prompts.addMask, one undo step, redo, propagation', async () => {
    const x = h.services('keep');
    await x.openReady(clip);
    const first = await x.call<ObjectInfo>('objects.add', {});
    await segment(x, { frame: 0, ...LOW });
    const list = await x.call<Proposal[]>('segment.proposals', { frame: 0 });
    const ids = [list[2]!.id, list[0]!.id];

    const objects = await x.call<ObjectInfo[]>('segment.keep', { frame: 0, proposalIds: ids });
    expect(objects.map((o) => o.name)).toEqual(['Object 2', 'Object 3']);
    expect(objects.map((o) => o.color)).toEqual(nextObjectColors([first.color], 2));
    const store = x.s.current!.store;
    for (const [i, o] of objects.entries()) {
      const p = list.find((q) => q.id === ids[i])!;
      expect(store.prompts.get(o.id, 0)).toMatchObject({ mask: p.rle, points: [], box: null });
      expect(store.masks.get(o.id, 0)).toMatchObject({ source: 'prompt' });
      expect(store.promptCalls.forCell(o.id, 0).map((c) => [c.op, c.undone])).toEqual([['mask', false]]);
    }
    let st = await state(x);
    expect(st.undoLabel).toBe('Keep 2 proposals on frame 0');
    expect(st.prompts.filter((p) => p.hasMask).map((p) => p.objectId)).toEqual(objects.map((o) => o.id));
    // the kept proposals leave the frame's list (the others keep their ids) and the event says so
    const rest = await x.call<Proposal[]>('segment.proposals', { frame: 0 });
    expect(rest.map((p) => p.id)).toEqual(list.map((p) => p.id).filter((id) => !ids.includes(id)));
    expect(proposalEvents(x).at(-1)).toEqual({ frame: 0, proposals: rest });

    // the stored masks are what prompts.addMask makes of the same mask on a fresh object
    const kept = await x.call<FrameMasks>('masks.frame', { frame: 0 });
    const viaAddMask = await x.call<FrameMasks>('prompts.addMask', { objectId: first.id, frame: 0, rle: list[0]!.rle });
    expect(maskOf(viaAddMask, first.id)!.rle).toEqual(maskOf(kept, objects[1]!.id)!.rle);
    await x.call('history.undo', {});

    // one undo removes both objects with their prompts and masks; redo brings them back as they were
    st = await x.call<ProjectState>('history.undo', {});
    expect(st.objects.map((o) => o.id)).toEqual([first.id]);
    expect(st.prompts).toEqual([]);
    expect((await x.call<FrameMasks>('masks.frame', { frame: 0 })).masks).toEqual([]);
    expect(st.redoLabel).toBe('Keep 2 proposals on frame 0');
    st = await x.call<ProjectState>('history.redo', {});
    expect(st.objects.map((o) => o.id)).toEqual([first.id, ...objects.map((o) => o.id)]);
    expect((await x.call<FrameMasks>('masks.frame', { frame: 0 })).masks).toEqual(kept.masks);

    // propagate the kept objects together: every later frame gets both masks
    const { jobId } = await x.call<{ jobId: string }>('track.propagate', { frame: 0, direction: 'forward', objectIds: objects.map((o) => o.id) });
    expect((await x.job(jobId)).state).toBe('done');
    const last = await x.call<FrameMasks>('masks.frame', { frame: 11 });
    expect(last.masks.map((m) => [m.objectId, m.source])).toEqual(objects.map((o) => [o.id, 'propagated']));
    // frame 0 stays the prompted frame, untouched
    expect((await x.call<FrameMasks>('masks.frame', { frame: 0 })).masks).toEqual(kept.masks);
    await x.s.shutdown();
  });

  it('refuses what it cannot keep, and an undone keep goes for good when a new action follows', async () => {
    const x = h.services('keep-bad');
    await x.openReady(clip);
    expect((await x.fail('segment.keep', { frame: 0, proposalIds: [0] })).code).toBe('NO_PROPOSALS');
    await segment(x, { frame: 0, ...LOW });
    expect((await x.call<Proposal[]>('segment.proposals', { frame: 0 })).length).toBeGreaterThan(1);
    expect((await x.fail('segment.keep', { frame: 0, proposalIds: [] })).message).toMatch(/must name at least one proposal/);
    expect((await x.fail('segment.keep', { frame: 0, proposalIds: [1, 1] })).message).toMatch(/proposalIds\[1\] names proposal 1 a second time/);
    expect((await x.fail('segment.keep', { frame: 0, proposalIds: [0, 99] })).message).toMatch(/proposalIds\[1\]: frame 0 has no proposal 99/);
    expect((await x.fail('segment.keep', { frame: 1, proposalIds: [0] })).code).toBe('NO_PROPOSALS');
    // nothing was made by the refusals
    expect((await state(x)).objects).toEqual([]);

    const [o] = await x.call<ObjectInfo[]>('segment.keep', { frame: 0, proposalIds: [0] });
    expect((await state(x)).undoLabel).toBe('Keep 1 proposal on frame 0');
    expect((await x.fail('segment.keep', { frame: 0, proposalIds: [0] })).message).toMatch(/has no proposal 0/);
    await x.call('history.undo', {});
    expect(x.s.current!.store.objects.getRow(o!.id)).toMatchObject({ deleted: true });
    await x.call('objects.add', {});
    expect(x.s.current!.store.objects.getRow(o!.id)).toBeNull();
    await x.s.shutdown();
  });

  it('a keep that fails part-way leaves no object, prompt or mask behind', async () => {
    const x = h.services('keep-fail');
    await x.openReady(clip);
    await segment(x, { frame: 0, ...LOW });
    const list = await x.call<Proposal[]>('segment.proposals', { frame: 0 });
    // the engine refuses the second mask (as a crashed or confused worker would)
    const workflow = (x.s as unknown as { workflow: Workflow }).workflow;
    const withEngine = workflow.withEngine.bind(workflow);
    workflow.withEngine = (fn) =>
      withEngine((ctx: SyncContext) => {
        let calls = 0;
        const client = new Proxy(ctx.client, {
          get(target, key) {
            if (key === 'addMask')
              return (...a: Parameters<typeof target.addMask>) =>
                ++calls === 2 ? Promise.reject(Object.assign(new Error('engine said no'), { code: 'WORKER' })) : target.addMask(...a);
            const v = Reflect.get(target, key);
            return typeof v === 'function' ? v.bind(target) : v;
          },
        });
        return fn({ ...ctx, client });
      }) as never;
    expect(await x.fail('segment.keep', { frame: 0, proposalIds: [0, 1] })).toMatchObject({ code: 'WORKER', message: 'engine said no' });
    const st = await state(x);
    expect(st.objects).toEqual([]);
    expect(st.prompts).toEqual([]);
    expect(st.canUndo).toBe(false);
    expect(x.s.current!.store.objects.getRow(1)).toBeNull();
    expect(await x.call('segment.proposals', { frame: 0 })).toEqual(list);
    // the engine holds nothing of them either: a keep now works and makes exactly its objects
    workflow.withEngine = withEngine;
    const made = await x.call<ObjectInfo[]>('segment.keep', { frame: 0, proposalIds: [1] });
    expect((await x.call<FrameMasks>('masks.frame', { frame: 0 })).masks.map((m) => m.objectId)).toEqual(made.map((o) => o.id));
    await x.s.shutdown();
  });
});
