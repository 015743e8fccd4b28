// Plain data of the job registry. The snapshot the UI sees is JobSnapshot from the API contract.
import type { ApiError, JobSnapshot, JobState } from '../../api/contract';

export type { JobSnapshot, JobState };

/** What a job's function gets: the signal to honour and a way to report progress. */
export interface JobContext {
  readonly id: string;
  readonly signal: AbortSignal;
  /** done of total units (e.g. 120 of 900 "frames"); total/unit are kept from earlier calls when omitted */
  report(done: number, total?: number, unit?: string): void;
  /** say more precisely what the job does once it knows (e.g. "… — resuming at frame 40") */
  relabel(label: string): void;
}

export type JobFn<T> = (ctx: JobContext) => Promise<T>;

export interface JobOptions<T = unknown> {
  /** jobs with the same queue name run one at a time, first come first served (e.g. 'engine') */
  queue?: string;
  /** initial total and unit shown before the first report */
  total?: number;
  unit?: string;
  /**
   * The small JSON result the finished job's snapshot carries (JobSnapshot.result), made from
   * the function's value, e.g. an export's output folder and warnings. Default: none (null).
   */
  result?: (value: T) => unknown;
}

/** How a job ended. A cancelled job's late result (if its function ignored the signal) is dropped. */
export type JobOutcome<T> = { state: 'done'; value: T } | { state: 'failed'; error: ApiError } | { state: 'cancelled' };

export interface JobHandle<T> {
  readonly id: string;
  snapshot(): JobSnapshot;
  /** resolves when the job reaches a final state (never rejects) */
  readonly outcome: Promise<JobOutcome<T>>;
  /** resolves when the job's function itself has returned or thrown (later than `outcome` after a cancel) */
  readonly settled: Promise<void>;
}

export interface JobRegistryOptions {
  /** least time between two progress events of one job (final states are never held back) */
  throttleMs?: number;
  /** how far back the rate looks */
  rateWindowMs?: number;
  /** finished jobs kept for jobs.list */
  keepFinished?: number;
  /** clock, for tests */
  now?: () => number;
}

export type JobListener = (snapshot: JobSnapshot) => void;
