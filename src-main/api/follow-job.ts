// Following one job to its end, the one way every side does it: subscribe to the job snapshots
// first, then ask once for the job's snapshot now (a short job can report, and even finish,
// before the caller learns its id: those events went by unrecognised), pass each snapshot of the
// job on, and stop listening when it reaches a final state. Used by the renderer (over the API's
// job.updated events and jobs.list) and by the services (over the job registry itself).
import type { JobSnapshot, JobState, MasklineApi } from './contract';

export const FINAL_JOB_STATES: ReadonlySet<JobState> = new Set(['done', 'failed', 'cancelled']);

/** Where a job's snapshots come from. The job registry (core/jobs) is one as it is. */
export interface JobFeed {
  /** calls `listener` with every job's snapshots from now on; returns the unsubscribe */
  on(listener: (j: JobSnapshot) => void): () => void;
  /** the job's snapshot now; null or undefined when it is not known (any more) */
  get(id: string): JobSnapshot | null | undefined | Promise<JobSnapshot | null | undefined>;
}

export interface FollowedJob {
  /** the job's final snapshot (done, failed or cancelled); null when it was disposed before the end */
  readonly end: Promise<JobSnapshot | null>;
  /** stops following at once: no more updates, `end` resolves null unless the job had ended */
  dispose(): void;
}

/** Follows `jobId`: `onUpdate` gets each of its snapshots in order, `end` the final one. */
export function followJob(feed: JobFeed, jobId: string, onUpdate?: (j: JobSnapshot) => void): FollowedJob {
  let settle!: (j: JobSnapshot | null) => void;
  const end = new Promise<JobSnapshot | null>((r) => (settle = r));
  let over = false;
  // once an event came, the snapshot asked for may be older than it (the answer can travel slower)
  let heard = false;
  let off: (() => void) | null = null;
  const stop = (last: JobSnapshot | null) => {
    if (over) return;
    over = true;
    off?.();
    settle(last);
  };
  const take = (j: JobSnapshot, fromEvent: boolean) => {
    if (over || j.id !== jobId) return;
    const final = FINAL_JOB_STATES.has(j.state);
    if (!fromEvent && heard && !final) return;
    if (fromEvent) heard = true;
    onUpdate?.(j);
    if (final) stop(j);
  };
  off = feed.on((j) => take(j, true));
  if (over) off();
  // a failed look-up leaves the job to its events, which go on arriving
  Promise.resolve()
    .then(() => feed.get(jobId))
    .then(
      (j) => j && take(j, false),
      () => undefined,
    );
  return { end, dispose: () => stop(null) };
}

/** The renderer's feed: job.updated events, and jobs.list for the snapshot now. */
export function apiJobFeed(api: Pick<MasklineApi, 'on' | 'call'>): JobFeed {
  return {
    on: (listener) => api.on('job.updated', listener),
    get: async (id) => (await api.call('jobs.list', {})).find((j) => j.id === id),
  };
}
