// The working side of the batch queue (`maskline worker`): a BullMQ Worker whose processor
// runs each job through the app's own services headless (services/headless-run.ts, as
// `maskline run` does) into a staging folder, then commits it in one rename
// (core/batch/job-output.ts). Progress goes to the job (frames done/total, fps, which worker);
// BullMQ renews the job's lock meanwhile, so a killed worker's job stalls and is re-run by
// another. Cancel: `batch cancel` publishes the job id; the worker aborts it (BullMQ's
// cancelJob → the processor's AbortSignal → the propagation job's cancel), discards the staging
// folder and fails the job as CANCELLED without retries.
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve, sep } from 'node:path';
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { toApiError } from '../api/errors';
import { commitJobOutput, discardJobOutput, openJobOutput, type JobOutputLayout } from '../core/batch/job-output';
import type { BatchJobData, BatchProgress } from '../core/batch/job-spec';
import { failureReason, isPermanentFailure } from '../core/batch/failure-policy';
import { CANCEL_CHANNEL, cancelKey, QUEUE_NAME, workerTiming } from '../core/batch/queue-config';
import type { ProviderChoice } from '../core/sam2/provider-plan';
import { AppServices } from './app-services';
import { runHeadless, type HeadlessProgress } from './headless-run';
import { connectRedis } from './redis-connect';

export interface BatchWorkerOptions {
  redisUrl: string;
  /** pack for jobs that name none */
  model: string | null;
  provider: ProviderChoice;
  concurrency: number;
  /** when set, jobs whose `out` lies outside it are refused */
  outRoot: string | null;
  lockMs: number;
  log: (line: string) => void;
}

export interface JobResult {
  out: string;
  frames: number;
  objects: number;
  files: number;
  worker: string;
}

/** One engine per concurrency slot, reused across jobs with the same model folder. */
interface Slot {
  dataDir: string;
  services: AppServices | null;
  modelsDir: string | null;
}

const HANDED_BACK = 'HANDED_BACK';

export class BatchWorker {
  private readonly slots: Slot[] = [];
  private readonly free: Slot[] = [];
  private readonly name = `${hostname()}/${process.pid}`;
  private worker!: Worker<BatchJobData, JobResult>;
  /** the Worker's own (blocking) connection: ours to close, BullMQ leaves a passed-in client open */
  private blocking: Redis | null = null;
  private handingBack = false;
  private readonly slotWaiters: (() => void)[] = [];

  private constructor(
    private readonly opts: BatchWorkerOptions,
    private readonly redis: Redis,
    private readonly subscriber: Redis,
  ) {
    for (let i = 0; i < opts.concurrency; i++) {
      // a private data folder per slot: its frame caches and settings are this worker's scratch
      const slot: Slot = { dataDir: mkdtempSync(join(tmpdir(), `maskline-worker-${process.pid}-${i}-`)), services: null, modelsDir: null };
      this.slots.push(slot);
      this.free.push(slot);
    }
  }

  static async start(opts: BatchWorkerOptions): Promise<BatchWorker> {
    const redis = await connectRedis(opts.redisUrl, 'worker');
    const subscriber = await connectRedis(opts.redisUrl, 'worker').catch((e) => {
      redis.disconnect();
      throw e;
    });
    const w = new BatchWorker(opts, redis, subscriber);
    const blocking = redis.duplicate();
    blocking.on('error', () => {});
    w.blocking = blocking;
    w.worker = new Worker<BatchJobData, JobResult>(QUEUE_NAME, (job, token, signal) => w.process(job, token, signal), {
      connection: blocking,
      concurrency: opts.concurrency,
      ...workerTiming(opts.lockMs),
    });
    w.worker.on('error', (e) => opts.log(`worker: ${e.message}`));
    await subscriber.subscribe(CANCEL_CHANNEL);
    subscriber.on('message', (_channel, id: string) => {
      if (w.worker.cancelJob(id, 'CANCELLED')) opts.log(`job ${id}: cancel requested, stopping`);
    });
    await w.worker.waitUntilReady();
    return w;
  }

  get workerName(): string {
    return this.name;
  }

  /** Graceful: takes no new job, lets the running ones finish and commit, then lets go of everything. */
  async close(): Promise<void> {
    await this.worker.close();
    // a cancelled run may still be winding down in its slot
    while (this.free.length < this.slots.length) await new Promise<void>((r) => this.slotWaiters.push(r));
    await this.shutdownSlots();
  }

  /** Now: running jobs are stopped, their staging discarded, and put back in the queue for another worker. */
  async handBack(): Promise<void> {
    this.handingBack = true;
    this.worker.cancelAllJobs(HANDED_BACK);
    await this.close();
  }

  private async shutdownSlots(): Promise<void> {
    this.blocking?.disconnect();
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
    await this.redis.quit().catch(() => this.redis.disconnect());
    for (const s of this.slots) {
      await s.services?.shutdown().catch(() => {});
      rmSync(s.dataDir, { recursive: true, force: true });
    }
  }

  private async process(job: Job<BatchJobData, JobResult>, token: string | undefined, signal: AbortSignal | undefined): Promise<JobResult> {
    const slot = await this.takeSlot();
    let layout: JobOutputLayout | null = null;
    let running: Promise<unknown> | null = null;
    try {
      if (await this.redis.get(cancelKey(job.id!))) throw new UnrecoverableError(failureReason('CANCELLED', 'cancelled before it started'));
      const d = job.data;
      const refusal = this.refusal(d);
      if (refusal) throw new UnrecoverableError(refusal);
      const packDir = resolve((d.model ?? this.opts.model)!);
      const services = await this.servicesFor(slot, dirname(packDir));
      layout = await openJobOutput(d.out, job.id!);
      this.opts.log(`job ${job.id}: ${d.video} → ${d.out} (attempt ${job.attemptsMade + 1})`);
      const run = runHeadless(services, {
        packDir,
        video: d.video,
        projectDir: layout.project,
        seed: d.seed,
        exportRequest: { formats: d.formats, outDir: layout.exportDir },
        signal,
        onProgress: progressReporter(job, this.name),
      });
      running = run;
      // a cancel answers at once; the run winds down (and its staging goes) behind it
      const r = await Promise.race([run, aborted(signal)]);
      // the database is closed (WAL folded in) before the folder moves
      await services.call('project.close', {});
      if (signal?.aborted) throw Object.assign(new Error('the run was cancelled'), { code: 'CANCELLED' });
      const result: JobResult = { out: d.out, frames: r.frames, objects: r.objectIds.length, files: r.export.fileCount, worker: this.name };
      const staging = layout.staging;
      await commitJobOutput(layout, d.out, {
        jobId: job.id,
        video: d.video,
        videoKey: d.videoKey,
        seed: d.seed,
        model: packDir,
        formats: d.formats,
        project: 'project',
        exports: r.export.files.map((f) => relative(staging, f)),
        ...result,
        finishedAt: new Date().toISOString(),
      });
      layout = null;
      this.opts.log(`job ${job.id}: done (${r.frames} frames, ${r.objectIds.length} objects)`);
      return result;
    } catch (err) {
      const failure = await this.failure(job, token, err, signal);
      // the slot is free again once the run has really stopped and its staging is gone
      const cleanup = async () => {
        await running?.catch(() => {});
        if (layout) await discardJobOutput(layout);
        await slot.services?.call('project.close', {});
      };
      running = null;
      if (signal?.aborted) {
        // a cancel answers at once; the run winds down (and its staging goes) behind it
        this.releaseAfter(slot, job, cleanup());
      } else {
        // the run has already stopped: its staging is gone before the job reads "failed", so a
        // worker stopped right after (or killed) leaves nothing behind for a job that will not run again
        const done = cleanup();
        this.releaseAfter(slot, job, done);
        await done.catch(() => {});
      }
      throw failure;
    } finally {
      if (running) this.releaseAfter(slot, job, Promise.resolve());
    }
  }

  private async takeSlot(): Promise<Slot> {
    for (;;) {
      const slot = this.free.pop();
      if (slot) return slot;
      // a cancelled job's run is still winding down in its slot
      await new Promise<void>((r) => this.slotWaiters.push(r));
    }
  }

  private releaseAfter(slot: Slot, job: Job<BatchJobData, JobResult>, done: Promise<void>): void {
    void done
      .catch((e: Error) => this.opts.log(`job ${job.id}: cleanup: ${e.message}`))
      .then(() => {
        if (slot.services) rmSync(join(slot.dataDir, 'frames', job.data.videoKey), { recursive: true, force: true });
        this.free.push(slot);
        this.slotWaiters.shift()?.();
      });
  }

  /** Why this worker will not run the job (it never will: permanent), or null. */
  private refusal(d: BatchJobData): string | null {
    if (!d.model && !this.opts.model) return failureReason('NO_MODEL', 'the job names no model and the worker was started without --model');
    const root = this.opts.outRoot;
    if (root && d.out !== root && !d.out.startsWith(root.endsWith(sep) ? root : root + sep)) {
      return failureReason('OUT_OUTSIDE_ROOT', `out ${d.out} is outside this worker's --out-root ${root}`);
    }
    return null;
  }

  /** The error the processor throws: permanent ones skip the retries, a hand-back puts the job back in the queue. */
  private async failure(job: Job<BatchJobData, JobResult>, token: string | undefined, err: unknown, signal: AbortSignal | undefined): Promise<Error> {
    if (err instanceof UnrecoverableError) return err;
    if (signal?.aborted && (this.handingBack || signal.reason === HANDED_BACK)) {
      await job.moveToWait(token);
      this.opts.log(`job ${job.id}: handed back to the queue`);
      return new WaitingError();
    }
    const { code, message } = signal?.aborted
      ? { code: 'CANCELLED', message: 'cancelled while running; its partial output was discarded' }
      : toApiError(err).error;
    this.opts.log(`job ${job.id}: ${code}: ${message}`);
    const reason = failureReason(code, message);
    return isPermanentFailure(code) ? new UnrecoverableError(reason) : new Error(reason);
  }

  /** The slot's services, listing the packs of `modelsDir` (made again when the models folder changes). */
  private async servicesFor(slot: Slot, modelsDir: string): Promise<AppServices> {
    if (slot.services && slot.modelsDir === modelsDir) return slot.services;
    await slot.services?.shutdown();
    const env = { ...process.env, MASKLINE_MODELS: [modelsDir, process.env.MASKLINE_MODELS].filter(Boolean).join(delimiter) };
    slot.services = new AppServices({
      dataDir: slot.dataDir,
      transport: 'cli',
      version: 'worker',
      env,
      engine: { provider: this.opts.provider },
      log: (l) => this.opts.log(l),
      repoRoot: null,
    });
    slot.modelsDir = modelsDir;
    return slot.services;
  }
}

/** Rejects when the signal aborts (never settles without one). */
function aborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(Object.assign(new Error('the run was cancelled'), { code: 'CANCELLED' }));
    if (signal?.aborted) fail();
    else signal?.addEventListener('abort', fail, { once: true });
  });
}

/** job.updateProgress at most twice a second, and on every phase change. */
function progressReporter(job: Job<BatchJobData, JobResult>, worker: string): (p: HeadlessProgress) => void {
  let last = 0;
  let lastPhase = '';
  return (p) => {
    const now = Date.now();
    if (p.phase === lastPhase && p.done !== p.total && now - last < 500) return;
    last = now;
    lastPhase = p.phase;
    const progress: BatchProgress = { phase: p.phase, done: p.done, total: p.total, unit: p.unit, fps: p.phase === 'propagate' ? p.rate : null, worker };
    job.updateProgress(progress as unknown as object).catch(() => {});
  };
}
