// The renderer's way of following a job it started (or adopted): followJob over the API's
// job.updated events and jobs.list, held by the owner's bag so that a state disposed mid-job
// lets go of it (its `end` then resolves null).
import type { JobSnapshot, MasklineApi } from '$api/contract';
import { apiJobFeed, followJob } from '$api/follow-job';
import type { Disposers } from './disposers';

export function follow(api: Pick<MasklineApi, 'on' | 'call'>, subs: Disposers, jobId: string, onUpdate: (j: JobSnapshot) => void): Promise<JobSnapshot | null> {
  const f = followJob(apiJobFeed(api), jobId, onUpdate);
  void f.end.then(subs.add(f.dispose));
  return f.end;
}

/** A job as shown before its first snapshot arrives. */
export function queuedJob(id: string, kind: string, label: string, unit: string): JobSnapshot {
  return { id, kind, label, state: 'queued', done: 0, total: 0, unit, rate: null, etaSec: null, error: null, errorCode: null, result: null };
}
