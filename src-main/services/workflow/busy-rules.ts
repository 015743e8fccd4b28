// What an operation may do while a job that holds the engine runs (a propagation, or segment
// everything): run anyway, be refused with BUSY, or cancel the job first (deleting an object
// during a propagation keeps the frames already written, then deletes; during segment
// everything the proposals of earlier runs stay). A job already cancelled but still letting go
// of the engine (its last graph run finishing, the engine put back in step) makes an operation
// it would refuse wait for it instead: P right after Cancel runs, it is not answered BUSY.
// Pure, table-tested.
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
  | 'relocate'
  /** segment.everything and segment.keep (both need the engine) */
  | 'segment';

export type BusyDecision = 'run' | 'refuse' | 'cancel-then-run' | 'wait-then-run';

/** Kinds of job that write masks and hold the engine. */
export const WRITE_JOB_KINDS: ReadonlySet<string> = new Set(['propagate', 'repropagate']);
/**
 * Kinds of job that hold the engine for long: the writers, and segment everything (it writes no
 * masks, but a click or undo would wait behind it for minutes, so they are refused the same way).
 */
export const ENGINE_JOB_KINDS: ReadonlySet<string> = new Set([...WRITE_JOB_KINDS, 'segment']);

/** The job that holds the engine, as the rules see it: `cancelling` once it was cancelled but has not let go yet. */
export interface RunningJob {
  kind: string;
  cancelling?: boolean;
}

export function busyDecision(op: WorkflowOp, running: RunningJob | null): BusyDecision {
  if (!running || !ENGINE_JOB_KINDS.has(running.kind)) return 'run';
  switch (op) {
    case 'objects.add':
    case 'objects.update':
    case 'export':
      return 'run';
    case 'objects.remove':
      return 'cancel-then-run';
    default:
      return running.cancelling ? 'wait-then-run' : 'refuse';
  }
}

export function busyError(running: { kind: string; jobId: string }): ApiCallError {
  const what = running.kind === 'repropagate' ? 'a re-propagation' : running.kind === 'segment' ? 'segment everything' : 'a propagation';
  return new ApiCallError('BUSY', `${what} is running — wait or cancel it.`, { jobId: running.jobId, kind: running.kind });
}
