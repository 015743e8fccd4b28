// The registry of long-running jobs (frame extraction, propagation, export, downloads).
// A job's final state is decided here, not by its function: cancel() marks it cancelled at
// once (the UI must not wait for a stubborn function), and whatever the function returns
// afterwards is dropped. `settled` still tells callers when the function really stopped,
// which is what queues and quitting wait for.
import type { ApiError, JobSnapshot, JobState } from '../../api/contract';
import { computeEta, computeRate, nextEmitDelay, pruneSamples, type ProgressSample } from './progress-math';
import type { JobContext, JobFn, JobHandle, JobListener, JobOptions, JobOutcome, JobRegistryOptions } from './types';

interface JobRecord {
  id: string;
  kind: string;
  label: string;
  state: JobState;
  done: number;
  total: number;
  unit: string;
  error: ApiError | null;
  /** the finished job's published result (JobOptions.result), else null */
  result: unknown;
  samples: ProgressSample[];
  controller: AbortController;
  lastEmitAt: number | null;
  timer: ReturnType<typeof setTimeout> | null;
  finishOutcome: (o: JobOutcome<unknown>) => void;
}

const FINAL: ReadonlySet<JobState> = new Set(['done', 'failed', 'cancelled']);

export class JobRegistry {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly settledById = new Map<string, Promise<void>>();
  private readonly queueTails = new Map<string, Promise<void>>();
  private readonly listeners = new Set<JobListener>();
  private readonly throttleMs: number;
  private readonly rateWindowMs: number;
  private readonly keepFinished: number;
  private readonly now: () => number;
  private seq = 0;
  private closed = false;

  constructor(opts: JobRegistryOptions = {}) {
    this.throttleMs = opts.throttleMs ?? 100;
    this.rateWindowMs = opts.rateWindowMs ?? 5000;
    this.keepFinished = opts.keepFinished ?? 50;
    this.now = opts.now ?? Date.now;
  }

  /** Listen to 'job.updated' snapshots; returns the unsubscribe function. */
  on(listener: JobListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  create<T>(kind: string, label: string, fn: JobFn<T>, opts: JobOptions<T> = {}): JobHandle<T> {
    if (this.closed) throw Object.assign(new Error('The app is shutting down: no new jobs are started.'), { code: 'SHUTTING_DOWN' });
    const id = `${kind}-${++this.seq}-${Date.now().toString(36)}`;
    let finishOutcome!: (o: JobOutcome<unknown>) => void;
    const publish = opts.result as ((value: unknown) => unknown) | undefined;
    const outcome = new Promise<JobOutcome<T>>((resolve) => {
      finishOutcome = resolve as (o: JobOutcome<unknown>) => void;
    });
    const rec: JobRecord = {
      id,
      kind,
      label,
      state: 'queued',
      done: 0,
      total: opts.total ?? 0,
      unit: opts.unit ?? '',
      error: null,
      result: null,
      samples: [],
      controller: new AbortController(),
      lastEmitAt: null,
      timer: null,
      finishOutcome,
    };
    this.jobs.set(id, rec);
    this.emit(rec);

    const start = () => this.execute(rec, fn, publish);
    let settled: Promise<void>;
    if (opts.queue) {
      const tail = this.queueTails.get(opts.queue) ?? Promise.resolve();
      settled = tail.then(start);
      this.queueTails.set(opts.queue, settled);
    } else {
      settled = Promise.resolve().then(start);
    }
    this.settledById.set(id, settled);
    return { id, snapshot: () => this.snapshotOf(rec), outcome, settled };
  }

  get(id: string): JobSnapshot | null {
    const rec = this.jobs.get(id);
    return rec ? this.snapshotOf(rec) : null;
  }

  list(): JobSnapshot[] {
    return [...this.jobs.values()].map((r) => this.snapshotOf(r));
  }

  /** Cancel a queued or running job. False when the id is unknown or the job already ended. */
  cancel(id: string): boolean {
    const rec = this.jobs.get(id);
    if (!rec || FINAL.has(rec.state)) return false;
    rec.controller.abort(Object.assign(new Error(`${rec.label} was cancelled.`), { code: 'CANCELLED', name: 'AbortError' }));
    this.finish(rec, { state: 'cancelled' });
    return true;
  }

  /**
   * Cancel every unfinished job and wait for their functions to stop, at most `graceMs`
   * (a function that ignores its signal cannot hold the app's quit forever). Returns the ids
   * of the jobs whose functions were still running when the grace period ended.
   */
  async cancelAll(graceMs = 5000): Promise<{ cancelled: string[]; abandoned: string[] }> {
    const cancelled = [...this.jobs.values()].filter((r) => !FINAL.has(r.state)).map((r) => r.id);
    for (const id of cancelled) this.cancel(id);
    const stillRunning = new Set(cancelled);
    const waits = cancelled.map((id) => this.settledById.get(id)!.then(() => stillRunning.delete(id)));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.all(waits), new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    return { cancelled, abandoned: [...stillRunning] };
  }

  /** On quit: refuse new jobs, then cancel all. */
  shutdown(graceMs = 5000): Promise<{ cancelled: string[]; abandoned: string[] }> {
    this.closed = true;
    return this.cancelAll(graceMs);
  }

  private async execute(rec: JobRecord, fn: JobFn<unknown>, publish?: (value: unknown) => unknown): Promise<void> {
    if (FINAL.has(rec.state)) return; // cancelled while queued: never runs
    rec.state = 'running';
    rec.samples.push({ t: this.now(), done: rec.done });
    this.emit(rec);
    const ctx: JobContext = {
      id: rec.id,
      signal: rec.controller.signal,
      report: (done, total, unit) => this.report(rec, done, total, unit),
      relabel: (label) => {
        if (rec.state !== 'running') return;
        rec.label = label;
        this.emit(rec);
      },
    };
    try {
      const value = await fn(ctx);
      if (publish && rec.state === 'running') rec.result = publishable(publish, value);
      this.finish(rec, { state: 'done', value });
    } catch (err) {
      if (rec.controller.signal.aborted) this.finish(rec, { state: 'cancelled' });
      else this.finish(rec, { state: 'failed', error: toPlainError(err) });
    }
  }

  private report(rec: JobRecord, done: number, total?: number, unit?: string): void {
    if (rec.state !== 'running') return;
    if (Number.isFinite(done)) rec.done = done;
    if (total !== undefined && Number.isFinite(total)) rec.total = total;
    if (unit !== undefined) rec.unit = unit;
    const t = this.now();
    rec.samples.push({ t, done: rec.done });
    pruneSamples(rec.samples, t, this.rateWindowMs);
    if (rec.timer) return; // a trailing event is already due and will carry this state
    const delay = nextEmitDelay(rec.lastEmitAt, t, this.throttleMs);
    if (delay === 0) this.emit(rec);
    else {
      rec.timer = setTimeout(() => {
        rec.timer = null;
        if (rec.state === 'running') this.emit(rec);
      }, delay);
      rec.timer.unref?.();
    }
  }

  /** The first final state wins; later ones (a cancelled job's late result) are dropped. */
  private finish(rec: JobRecord, outcome: JobOutcome<unknown>): void {
    if (FINAL.has(rec.state)) return;
    rec.state = outcome.state;
    if (outcome.state === 'failed') rec.error = outcome.error;
    if (rec.timer) clearTimeout(rec.timer);
    rec.timer = null;
    this.emit(rec);
    rec.finishOutcome(outcome);
    this.pruneFinished();
  }

  private pruneFinished(): void {
    const finished = [...this.jobs.values()].filter((r) => FINAL.has(r.state));
    for (const r of finished.slice(0, Math.max(0, finished.length - this.keepFinished))) {
      this.jobs.delete(r.id);
      this.settledById.delete(r.id);
    }
  }

  private snapshotOf(rec: JobRecord): JobSnapshot {
    const running = rec.state === 'running';
    const rate = running ? computeRate(rec.samples, this.now(), this.rateWindowMs) : null;
    return {
      id: rec.id,
      kind: rec.kind,
      label: rec.label,
      state: rec.state,
      done: rec.done,
      total: rec.total,
      unit: rec.unit,
      rate,
      etaSec: running ? computeEta(rec.done, rec.total, rate) : null,
      error: rec.error ? rec.error.message : null,
      errorCode: rec.error ? rec.error.code : null,
      result: rec.result ?? null,
    };
  }

  private emit(rec: JobRecord): void {
    rec.lastEmitAt = this.now();
    const snap = this.snapshotOf(rec);
    for (const l of this.listeners) {
      try {
        l(snap);
      } catch (err) {
        // A broken listener must not take the job down with it.
        console.error('job listener failed:', err);
      }
    }
  }
}

/** A job's published result must survive JSON and structured clone: anything else is dropped (null). */
function publishable(publish: (value: unknown) => unknown, value: unknown): unknown {
  try {
    const r = publish(value);
    return r === undefined ? null : JSON.parse(JSON.stringify(r));
  } catch (err) {
    console.error('job result could not be published:', err);
    return null;
  }
}

/** Errors cross the API as plain data; keep a code when the thrower gave one. */
function toPlainError(err: unknown): ApiError {
  const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'JOB_FAILED';
  const message = err instanceof Error ? err.message : String(err);
  const details = (err as { details?: unknown })?.details;
  return details === undefined ? { code, message } : { code, message, details };
}
