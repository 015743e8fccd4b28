// Every BullMQ/Redis setting of the batch queue in one place (docs/batch.md, "Failure semantics").
import type { RedisOptions } from 'ioredis';

export const QUEUE_NAME = 'maskline-batch';
/** pub/sub channel a `batch cancel` publishes a job id on; every worker listens */
export const CANCEL_CHANNEL = 'maskline-batch:cancel';
/** flag set by `batch cancel` for a job: checked when a job starts (a cancel may land before) */
export function cancelKey(jobId: string): string {
  return `maskline-batch:cancelled:${jobId}`;
}
export const CANCEL_FLAG_TTL_S = 7 * 24 * 3600;

/** 3 attempts in all; 2 s, 4 s between them. Permanent failures (a video that cannot be decoded) skip them. */
export const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential' as const, delay: 2000 },
  // finished jobs stay: they are what makes a re-submit skip done work (until --force)
  removeOnComplete: false,
  removeOnFail: false,
};

/** Lock of a running job; a worker that stops renewing it (SIGKILL, a lost machine) loses the job. */
export const DEFAULT_LOCK_MS = 30_000;

/**
 * Worker options for a lock duration (MASKLINE_BATCH_LOCK_MS, default 30 s): the lock is renewed
 * every half of it; the stalled check runs as often, so a killed worker's job is back in the
 * queue within ~1.5 × lockMs. A job may stall twice (two lost workers) before it is failed.
 */
export function workerTiming(lockMs: number): { lockDuration: number; stalledInterval: number; maxStalledCount: number } {
  return { lockDuration: lockMs, stalledInterval: Math.max(500, Math.round(lockMs / 2)), maxStalledCount: 2 };
}

export function lockMsFromEnv(env: Record<string, string | undefined>): number {
  const v = Number(env.MASKLINE_BATCH_LOCK_MS);
  return Number.isFinite(v) && v >= 1000 ? Math.round(v) : DEFAULT_LOCK_MS;
}

/** How long a command waits for Redis before it says it is unreachable. */
export const CONNECT_TIMEOUT_MS = 3000;

/**
 * ioredis options. Commands (`batch …`, the app) fail fast: no reconnect loop, no offline queue.
 * Workers (`blocking`) must keep maxRetriesPerRequest null (BullMQ's rule for blocking
 * connections) and reconnect with a capped backoff, so a Redis restart does not end them.
 */
export function redisOptions(kind: 'command' | 'worker'): RedisOptions {
  if (kind === 'command') {
    return { connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => null, lazyConnect: true };
  }
  return { connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 500, 5000), lazyConnect: true };
}

/** The URL as it may be printed: a password is never shown. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** redis:// or rediss:// (TLS) URLs only: a clear error before any connection is tried. */
export function checkRedisUrl(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `--redis must be a URL like redis://127.0.0.1:6379 (or rediss:// for TLS), got "${url}"`;
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') return `--redis must start with redis:// or rediss://, got "${redactRedisUrl(url)}"`;
  return null;
}
