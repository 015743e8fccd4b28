// `maskline worker`: a long-running batch worker (docs/batch.md). Takes jobs from the Redis
// queue one at a time per --concurrency slot and runs each through the app's services headless.
// SIGTERM: graceful — no new job, the running one finishes and commits, then exit. A second
// SIGTERM or Ctrl-C: the running job is stopped now, its staging discarded, and handed back to
// the queue for another worker.
import { QUEUE_NAME, lockMsFromEnv, redactRedisUrl } from '../../core/batch/queue-config';
import { BatchWorker } from '../../services/batch-worker';
import { UsageError } from '../args';
import type { CliCommand } from '../command';
import { providerFlag, providerFlagSpec } from '../provider-flag';

export const workerCommand: CliCommand = {
  name: 'worker',
  summary: 'Batch worker: runs pre-annotation jobs from a Redis queue (docs/batch.md)',
  flags: {
    redis: { type: 'string', required: true, help: 'Redis URL, e.g. redis://:PASSWORD@queue-host:6379 or rediss://… for TLS' },
    model: { type: 'path', help: 'model pack folder for the jobs that name none' },
    provider: providerFlagSpec,
    concurrency: { type: 'number', help: 'jobs at once (default 1: one per GPU; start one worker per GPU)' },
    'out-root': { type: 'path', help: 'refuse jobs whose output folder is not inside this folder (the shared storage)' },
  },
  async run(flags) {
    const concurrency = flags.concurrency === undefined ? 1 : Number(flags.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16)
      throw new UsageError(`--concurrency must be an integer in 1..16, got ${flags.concurrency}`);
    const log = (line: string) => console.error(`${new Date().toISOString()} ${line}`);
    const worker = await BatchWorker.start({
      redisUrl: String(flags.redis),
      model: typeof flags.model === 'string' ? flags.model : null,
      provider: providerFlag(flags.provider),
      concurrency,
      outRoot: typeof flags['out-root'] === 'string' ? flags['out-root'] : null,
      lockMs: lockMsFromEnv(process.env),
      log,
    });
    log(`worker ${worker.workerName} ready: queue ${QUEUE_NAME} on ${redactRedisUrl(String(flags.redis))}, concurrency ${concurrency}`);
    await new Promise<void>((done) => {
      let closing: Promise<void> | null = null;
      const now = () => {
        log('stopping now: running jobs go back to the queue');
        void worker.handBack().then(done, done);
      };
      process.on('SIGINT', now);
      process.on('SIGTERM', () => {
        if (closing) return now();
        log('SIGTERM: finishing the running job, taking no new one (SIGTERM again: hand it back now)');
        closing = worker.close().then(done, done);
      });
    });
    log('worker stopped');
    return 0;
  },
};
