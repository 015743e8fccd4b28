// P right after Cancel: the cancelled propagation is still letting go of the engine (its last
// graph run, the engine put back in step); the next run and an undo wait for it instead of being
// answered BUSY, and the new run resumes where the cancelled one stopped.
import { afterAll, expect, it } from 'vitest';
import type { FrameMasks } from '../../src-main/api/contract';
import { harness, squareAt, until } from './workflow-harness';

const h = harness('maskline-workflow-cancel-run-');
afterAll(() => h.cleanup());
const FRAMES = 30;
const clip = h.video('clip.mp4', FRAMES);

it('propagate and undo issued at once after a cancel run instead of answering BUSY', { timeout: 300_000 }, async () => {
  const x = h.services('cancel-then-run', {});
  await x.openReady(clip);
  await x.call('objects.add', {});
  await x.call('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
  const mark = x.events.length;
  const tracked = () =>
    x.events
      .slice(mark)
      .filter((e) => e.event === 'masks.updated')
      .map((e) => (e.payload as FrameMasks).frame);
  const first = await x.call<{ jobId: string }>('track.propagate', { frame: 0, direction: 'forward' });
  await until(() => tracked().length >= 3, '3 tracked frames');
  await x.call('jobs.cancel', { id: first.jobId });
  // no wait for the project to stop being busy: the very next call
  const second = await x.call<{ jobId: string }>('track.propagate', { frame: 0, direction: 'forward' });
  expect(second.jobId).not.toBe(first.jobId);
  const job = await x.job(second.jobId);
  expect(job.state).toBe('done');
  expect(job.label).toMatch(/resuming at frame [1-9]/);
  // and an undo right after a cancel is not refused either
  const third = await x.call<{ jobId: string }>('track.propagate', { frame: 5, direction: 'backward' });
  await x.call('jobs.cancel', { id: third.jobId });
  await x.call('history.undo');
  await x.s.shutdown();
});
