// Issue 13 (7): a propagation continues from the first frame not yet tracked since the last
// prompt change, says "resuming at frame N", and computes nothing earlier (counted from the
// masks.updated events); the resumed masks equal those of a run that was never cancelled.
// Re-propagate-from-here resumes the same way; a prompt change makes the frames stale again.
import { afterAll, describe, expect, it } from 'vitest';
import type { FrameMasks, JobSnapshot } from '../../src-main/api/contract';
import { harness, squareAt, until, type Session } from './workflow-harness';

const h = harness('maskline-workflow-resume-');
afterAll(() => h.cleanup());
const FRAMES = 40;
const clip = h.video('clip.mp4', FRAMES);
// the default output budget keeps the memories of the frames a cancelled run wrote, so the
// resumed run continues exactly as an unbroken one (with budget 0 they would be recomputed from
// the stored state: the evicted-state differences of docs/engine.md)
const engine = {};

const streamed = (x: Session, from: number) =>
  x.events
    .slice(from)
    .filter((e) => e.event === 'masks.updated')
    .map((e) => (e.payload as FrameMasks).frame);
const labelOf = (x: Session, jobId: string) => x.s.jobs.get(jobId)!.label;

async function runToEnd(x: Session, method: string, args: unknown): Promise<{ job: JobSnapshot; frames: number[] }> {
  const mark = x.events.length;
  const { jobId } = await x.call<{ jobId: string }>(method, args);
  // (x.job waits until the project is no longer busy with the run, too)
  const job = await x.job(jobId);
  return { job, frames: streamed(x, mark) };
}

async function cancelAfter(x: Session, method: string, args: unknown, n: number): Promise<number[]> {
  const mark = x.events.length;
  const { jobId } = await x.call<{ jobId: string }>(method, args);
  await until(() => streamed(x, mark).length >= n, `${n} frames`);
  await x.call('jobs.cancel', { id: jobId });
  // the project stays busy until the run has put the engine back in step: x.job waits for that too
  expect((await x.job(jobId)).state).toBe('cancelled');
  return streamed(x, mark);
}

async function masks(x: Session, frames: number[]): Promise<string[]> {
  return Promise.all(frames.map(async (frame) => JSON.stringify((await x.call<FrameMasks>('masks.frame', { frame })).masks)));
}

describe('resume after cancel', () => {
  // (long timeouts: three runs of 40 frames on a shared 2-core machine)
  it('P again continues at the first frame not tracked, recomputes nothing earlier, and equals an unbroken run', { timeout: 400_000 }, async () => {
    // the reference: one run, never cancelled
    const ref = h.services('reference', { engine });
    await ref.openReady(clip);
    await ref.call('objects.add', {});
    await ref.call('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
    const whole = await runToEnd(ref, 'track.propagate', { frame: 0, direction: 'forward' });
    expect(whole.frames).toEqual(Array.from({ length: FRAMES }, (_, i) => i));
    const expected = await masks(ref, whole.frames);
    await ref.s.shutdown();

    const x = h.services('resume', { engine });
    await x.openReady(clip);
    await x.call('objects.add', {});
    await x.call('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
    const first = await cancelAfter(x, 'track.propagate', { frame: 0, direction: 'forward' }, 8);
    const k = first.length;
    expect(first).toEqual(Array.from({ length: k }, (_, i) => i));
    const rowsBefore = x.s.current!.store.masks.get(1, k - 1)!;

    const second = await runToEnd(x, 'track.propagate', { frame: 0, direction: 'forward' });
    expect(second.job.state).toBe('done');
    expect(second.job.label).toMatch(new RegExp(`— resuming at frame ${k}$`));
    expect(second.job.result).toMatchObject({ frames: FRAMES - k, resumedAt: k, skipped: k });
    // nothing before frame k was computed again
    expect(second.frames).toEqual(Array.from({ length: FRAMES - k }, (_, i) => k + i));
    expect(x.s.current!.store.masks.get(1, k - 1)!.updatedAt).toBe(rowsBefore.updatedAt);
    expect(x.s.current!.store.runs.list(1)[0]!.framesDone).toBe(FRAMES - k);
    // and the result is the unbroken run's, frame for frame
    const got = await masks(x, whole.frames);
    expect(got).toEqual(expected);

    // everything is tracked now: P does nothing, and says so
    const third = await runToEnd(x, 'track.propagate', { frame: 0, direction: 'forward' });
    expect(third.job.state).toBe('done');
    expect(third.frames).toEqual([]);
    expect(third.job.label).toMatch(/already tracked since the last prompt change/);
    expect(third.job.result).toMatchObject({ runId: null, frames: 0, skipped: FRAMES });

    // a backward run from the end is another direction: computed
    const back = await cancelAfter(x, 'track.propagate', { frame: FRAMES - 1, direction: 'backward' }, 3);
    const b2 = await runToEnd(x, 'track.propagate', { frame: FRAMES - 1, direction: 'backward' });
    const firstBack = back.at(-1)! - 1;
    expect(labelOf(x, b2.job.id)).toMatch(new RegExp(`resuming at frame ${firstBack}$`));
    expect(b2.frames[0]).toBe(firstBack);
    expect(Math.max(...b2.frames)).toBe(firstBack);
    await x.s.shutdown();
  });

  it('a correction makes the later frames stale; re-propagate from here resumes after a cancel too', { timeout: 400_000 }, async () => {
    const x = h.services('repropagate', { engine });
    await x.openReady(clip);
    await x.call('objects.add', {});
    await x.call('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
    await runToEnd(x, 'track.propagate', { frame: 0, direction: 'forward' });
    // a correction on frame 10: the frames after it are stale, those before it are not
    await x.call('prompts.add', { objectId: 1, frame: 10, points: [squareAt(10), [squareAt(10)[0] + 20, 120]], labels: [1, 0] });
    const cut = await cancelAfter(x, 'track.repropagateFrom', { frame: 10 }, 5);
    expect(cut[0]).toBe(11);
    const m = cut.at(-1)! + 1;
    const again = await runToEnd(x, 'track.repropagateFrom', { frame: 10 });
    expect(again.job.label).toMatch(new RegExp(`resuming at frame ${m}$`));
    expect(again.frames).toEqual(Array.from({ length: FRAMES - m }, (_, i) => m + i));
    // forward from 0 now: frames 1–9 were tracked before the correction, so they are stale too
    // (SAM 2 conditions every frame on every prompted frame): it starts at 1, not at 11
    const p = await runToEnd(x, 'track.propagate', { frame: 0, direction: 'forward' });
    expect(p.frames[0]).toBe(1);
    // after that run everything is current again, and an undo of a click makes it stale
    await x.call('history.undo', {});
    await x.call('history.undo', {});
    const u = await runToEnd(x, 'track.propagate', { frame: 0, direction: 'forward' });
    expect(u.frames[0]).toBe(1);
    await x.s.shutdown();
  });
});
