// The submitting side of the batch queue, shared by `maskline batch …` and the app's Batch
// panel (API methods batch.*): enqueue prepared jobs (stable ids: no duplicates; a finished
// job is redone only with force), read the status, retry failed jobs, cancel jobs. Cancelling a
// waiting job removes it; a running one is told through Redis (a flag its worker checks when a
// job starts, and a pub/sub message that aborts it at once, services/batch-worker.ts).
import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BatchJobData, BatchProgress } from '../core/batch/job-spec';
import { CANCEL_CHANNEL, CANCEL_FLAG_TTL_S, cancelKey, JOB_OPTIONS, QUEUE_NAME } from '../core/batch/queue-config';
import { rowState, summarise, type BatchJobRow, type BatchStatus } from '../core/batch/status-view';
import type { PreparedJob } from './batch-prepare';
import { connectRedis } from './redis-connect';

export interface SubmitResult {
  added: string[];
  /** already queued, running or finished (and no force): left as they are */
  skipped: { id: string; state: string }[];
}

export interface CancelResult {
  /** waiting jobs taken off the queue */
  removed: string[];
  /** running jobs told to stop */
  stopping: string[];
  /** finished or unknown: nothing to do */
  ignored: string[];
}

/**
 * The lists read, in the order a job moves through them: a job that moves while they are read
 * one after another shows up twice, and its later (newer) state is the one kept.
 */
const LISTED: [string, string[]][] = [
  ['waiting', ['waiting', 'delayed', 'prioritized', 'waiting-children']],
  ['active', ['active']],
  ['completed', ['completed']],
  ['failed', ['failed']],
];

export class BatchService {
  private constructor(
    private readonly redis: Redis,
    private readonly queue: Queue<BatchJobData>,
  ) {}

  /** Connects (RedisError REDIS_UNREACHABLE naming the URL when it cannot). */
  static async connect(url: string): Promise<BatchService> {
    const redis = await connectRedis(url, 'command');
    const queue = new Queue<BatchJobData>(QUEUE_NAME, { connection: redis, defaultJobOptions: JOB_OPTIONS });
    queue.on('error', () => {});
    return new BatchService(redis, queue);
  }

  async submit(jobs: PreparedJob[], force = false): Promise<SubmitResult> {
    const r: SubmitResult = { added: [], skipped: [] };
    for (const j of jobs) {
      const existing = await this.queue.getJob(j.id);
      if (existing) {
        const state = await existing.getState();
        if (!force || !['completed', 'failed'].includes(state)) {
          r.skipped.push({ id: j.id, state: rowState(state, existing.failedReason) });
          continue;
        }
        await existing.remove();
      }
      await this.redis.del(cancelKey(j.id));
      await this.queue.add('pre-annotate', j.data, { jobId: j.id });
      r.added.push(j.id);
    }
    return r;
  }

  async status(): Promise<BatchStatus> {
    const byId = new Map<string, BatchJobRow>();
    for (const [state, types] of LISTED) {
      const jobs = (await this.queue.getJobs(types as never, 0, -1, true)) as Job<BatchJobData>[];
      for (const j of jobs) if (j) byId.set(j.id!, toRow(j, state));
    }
    const rows = [...byId.values()];
    rows.sort((a, b) => a.video.localeCompare(b.video) || a.id.localeCompare(b.id));
    return summarise(rows);
  }

  /** Failed (and cancelled) jobs back to the queue for a fresh set of attempts; ids empty: all of them. */
  async retry(ids: string[]): Promise<string[]> {
    const failed = (await this.queue.getJobs(['failed'], 0, -1, true)) as Job<BatchJobData>[];
    const chosen = failed.filter((j) => j && (ids.length === 0 || ids.includes(j.id!)));
    for (const j of chosen) {
      await this.redis.del(cancelKey(j.id!));
      await j.retry('failed');
    }
    return chosen.map((j) => j.id!);
  }

  /** Cancels the jobs (ids empty: every waiting and running job). */
  async cancel(ids: string[]): Promise<CancelResult> {
    const r: CancelResult = { removed: [], stopping: [], ignored: [] };
    const targets = ids.length
      ? ids
      : (await this.queue.getJobs(['waiting', 'delayed', 'prioritized', 'active'], 0, -1, true)).filter(Boolean).map((j) => j.id!);
    for (const id of targets) {
      const job = await this.queue.getJob(id);
      const state = job ? await job.getState() : 'unknown';
      if (!job || state === 'completed' || state === 'failed' || state === 'unknown') {
        r.ignored.push(id);
        continue;
      }
      // the flag first: a worker that takes the job a moment later still sees it
      await this.redis.set(cancelKey(id), '1', 'EX', CANCEL_FLAG_TTL_S);
      if (state === 'active') {
        await this.redis.publish(CANCEL_CHANNEL, id);
        r.stopping.push(id);
        continue;
      }
      try {
        await job.remove();
        r.removed.push(id);
      } catch {
        // taken by a worker meanwhile (a locked job cannot be removed): tell it to stop
        await this.redis.publish(CANCEL_CHANNEL, id);
        r.stopping.push(id);
      }
    }
    return r;
  }

  async close(): Promise<void> {
    await this.queue.close().catch(() => {});
    this.redis.disconnect();
  }
}

function toRow(j: Job<BatchJobData>, listed: string): BatchJobRow {
  const progress = j.progress && typeof j.progress === 'object' ? (j.progress as unknown as BatchProgress) : null;
  const result = j.returnvalue as { frames?: number } | null;
  const state = rowState(listed, j.failedReason);
  return {
    id: j.id!,
    video: j.data.video,
    out: j.data.out,
    state,
    progress,
    attempts: j.attemptsStarted ?? j.attemptsMade,
    error: state === 'failed' || state === 'cancelled' ? (j.failedReason ?? null) : null,
    frames: result?.frames ?? (progress?.phase === 'propagate' || progress?.phase === 'frames' ? progress.total : null),
    queuedAt: j.timestamp,
    startedAt: j.processedOn ?? null,
    finishedAt: j.finishedOn ?? null,
  };
}
