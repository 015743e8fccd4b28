// What an operation may do while a job that writes masks (a propagation) runs: run anyway,
// be refused with BUSY, or cancel the job first (deleting an object the job is tracking keeps
// the frames already written, then deletes). Pure, table-tested.
import { ApiCallError } from '../../api/errors';

export type WorkflowOp =
  | 'prompt'
  | 'history'
  | 'objects.add'
  | 'objects.update'
  | 'objects.remove'
  | 'propagate'
  | 'models.select'
  | 'export'
  | 'relocate';

export type BusyDecision = 'run' | 'refuse' | 'cancel-then-run';

/** Kinds of job that write masks and hold the engine. */
export const WRITE_JOB_KINDS: ReadonlySet<string> = new Set(['propagate', 'repropagate']);

export function busyDecision(op: WorkflowOp, running: { kind: string } | null): BusyDecision {
  if (!running || !WRITE_JOB_KINDS.has(running.kind)) return 'run';
  switch (op) {
    case 'objects.add':
    case 'objects.update':
    case 'export':
      return 'run';
    case 'objects.remove':
      return 'cancel-then-run';
    default:
      return 'refuse';
  }
}

export function busyError(running: { kind: string; jobId: string }): ApiCallError {
  const what = running.kind === 'repropagate' ? 'a re-propagation' : 'a propagation';
  return new ApiCallError('BUSY', `${what} is running — wait or cancel it.`, { jobId: running.jobId, kind: running.kind });
}
