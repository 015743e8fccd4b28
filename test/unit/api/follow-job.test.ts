// followJob over a fake feed: events are pushed by the test, the snapshot "now" is what the
// test says, answered after the subscription (as over the wire).
import { describe, expect, it } from 'vitest';
import type { JobSnapshot, JobState } from '../../../src-main/api/contract';
import { followJob, type JobFeed } from '../../../src-main/api/follow-job';

function snap(state: JobState, done = 0, id = 'j1'): JobSnapshot {
  return { id, kind: 'export', label: 'Export', state, done, total: 10, unit: 'frames', rate: null, etaSec: null, error: null, errorCode: null, result: null };
}

class FakeFeed implements JobFeed {
  listeners = new Set<(j: JobSnapshot) => void>();
  /** what get() answers: a snapshot, nothing, or a failure */
  now: JobSnapshot | undefined | Error = undefined;
  /** get() waits for this before it answers (events can come meanwhile) */
  gate: Promise<void> = Promise.resolve();
  on(listener: (j: JobSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async get(): Promise<JobSnapshot | undefined> {
    await this.gate;
    if (this.now instanceof Error) throw this.now;
    return this.now;
  }
  emit(j: JobSnapshot): void {
    for (const l of [...this.listeners]) l(j);
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));

interface Case {
  /** the snapshot get() answers */
  now?: JobSnapshot | Error;
  /** events emitted before get() answers */
  early?: JobSnapshot[];
  /** events emitted after it answered */
  late?: JobSnapshot[];
  dispose?: boolean;
  /** states passed to onUpdate, "state:done" */
  updates: string[];
  end: string | null;
}

const cases: [string, Case][] = [
  ['done', { late: [snap('running', 3), snap('running', 7), snap('done', 10)], updates: ['running:3', 'running:7', 'done:10'], end: 'done:10' }],
  ['failed', { late: [snap('running', 3), snap('failed', 3)], updates: ['running:3', 'failed:3'], end: 'failed:3' }],
  ['cancelled', { late: [snap('cancelled', 5)], updates: ['cancelled:5'], end: 'cancelled:5' }],
  ['events before subscription: the job had ended (the snapshot now)', { now: snap('done', 10), updates: ['done:10'], end: 'done:10' }],
  [
    'events before subscription: running, then events',
    { now: snap('running', 4), late: [snap('done', 10)], updates: ['running:4', 'done:10'], end: 'done:10' },
  ],
  [
    'an older snapshot answered after a newer event is passed over',
    { now: snap('running', 2), early: [snap('running', 6)], late: [snap('done', 10)], updates: ['running:6', 'done:10'], end: 'done:10' },
  ],
  [
    'a final snapshot answered after a running event ends it',
    { now: snap('done', 10), early: [snap('running', 6)], updates: ['running:6', 'done:10'], end: 'done:10' },
  ],
  ['a failed look-up leaves it to the events', { now: new Error('offline'), late: [snap('done', 10)], updates: ['done:10'], end: 'done:10' }],
  ["other jobs' snapshots are not passed on", { late: [snap('done', 10, 'other'), snap('failed', 1)], updates: ['failed:1'], end: 'failed:1' }],
  ['nothing after the end', { late: [snap('done', 10), snap('running', 1)], updates: ['done:10'], end: 'done:10' }],
  ['disposal: no update after it, the end is null', { late: [snap('running', 3)], dispose: true, updates: ['running:3'], end: null }],
];

describe('followJob: each snapshot of one job in order, the final one at the end, no listener left', () => {
  it.each(cases)('%s', async (_, c) => {
    const feed = new FakeFeed();
    let open!: () => void;
    feed.gate = new Promise((r) => (open = r));
    feed.now = c.now;
    const seen: string[] = [];
    const f = followJob(feed, 'j1', (j) => seen.push(`${j.state}:${j.done}`));
    let ended: JobSnapshot | null | undefined;
    void f.end.then((j) => (ended = j));
    for (const j of c.early ?? []) feed.emit(j);
    open();
    await settle();
    const late = c.late ?? [];
    if (c.dispose) {
      feed.emit(late[0]);
      f.dispose();
      feed.emit(snap('done', 10));
    } else for (const j of late) feed.emit(j);
    await settle();
    expect(seen).toEqual(c.updates);
    expect(ended === undefined ? 'pending' : ended && `${ended.state}:${ended.done}`).toBe(c.end);
    expect(feed.listeners.size).toBe(0);
  });

  it('a job that never ends keeps its listener until disposed', async () => {
    const feed = new FakeFeed();
    const f = followJob(feed, 'j1');
    feed.emit(snap('running', 1));
    await settle();
    expect(feed.listeners.size).toBe(1);
    f.dispose();
    f.dispose();
    expect(feed.listeners.size).toBe(0);
    expect(await f.end).toBeNull();
  });
});
