// Async client of the engine worker, used by services and the CLI: request/response by id,
// masks transferred as ArrayBuffers, propagation streamed with back-pressure, progress
// callbacks, cancellation, and a clear error for every pending call when the worker dies
// (after which `restart()` gives a fresh, empty engine).
import { ensureXdgRuntimeDir } from '../core/sam2/xdg-runtime';
import { dirname, join } from 'node:path';
import { Worker, type MessagePort, type ResourceLimits } from 'node:worker_threads';
import { EngineError, type ErrorData } from '../core/sam2/errors';
import type { AddPointsInput, FrameResult, OutputOptions, OutputSnapshot, PredictorOptions, PromptResult, PropagatedFrame } from '../core/sam2/predictor';
import type { AmgOptions, AmgProgress } from '../core/sam2/amg';
import type { FrameTiming } from '../core/sam2/frame-timing';
import { startPreencodeWorker, type PreencodeThreadData } from './preencode-thread';
import { builtWorkerPath } from './worker-path';
import {
  transferables,
  type EngineInfo,
  type FromWorker,
  type PreencodeSettings,
  type PreencodeStatus,
  type PropagateArgs,
  type RequestName,
  type Requests,
  type SourceSpec,
  type ToWorker,
} from './protocol';

export type { EngineInfo, PreencodeSettings, PreencodeStatus, SourceSpec } from './protocol';

/** The built engine worker: next to this module when bundled, else out/main of the repository. */
export function defaultWorkerPath(): string {
  return builtWorkerPath('engine-worker');
}

export interface ClientOptions {
  workerPath?: string;
  /** the pre-encoding thread's entry (default: preencode-worker.js next to the engine worker) */
  preencodeWorkerPath?: string;
  resourceLimits?: ResourceLimits;
}

/** How long close() waits for a pre-encoding thread to finish its run in flight and exit. */
const SIBLING_GRACE_MS = 30_000;

export interface ClientPropagateOptions extends PropagateArgs {
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; frame: number }) => void;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onFrame?: (f: PropagatedFrame) => void;
  onProgress?: (p: AmgProgress) => void;
}

/** The worker's error as an EngineError carrying the original code (PackError codes included). */
function toError(e: ErrorData): EngineError {
  return new EngineError((e.code ?? 'WORKER') as never, e.message, e.details);
}

export class EngineClient {
  private worker!: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private deadReason: string | null = null;
  private readonly preencodeListeners = new Set<(s: PreencodeStatus) => void>();
  /** pre-encoding threads started beside the engine worker; they exit by themselves (preencode-thread.ts) */
  private readonly siblings = new Set<Worker>();

  private constructor(private readonly opts: ClientOptions) {
    this.spawn();
  }

  static start(opts: ClientOptions = {}): EngineClient {
    return new EngineClient(opts);
  }

  /** Whether the worker is running (false after a crash or close). */
  get alive(): boolean {
    return this.deadReason === null;
  }

  private spawn(): void {
    // a worker's process.env is its own copy: the variable Dawn reads must be set out here
    ensureXdgRuntimeDir();
    const w = new Worker(this.opts.workerPath ?? defaultWorkerPath(), { resourceLimits: this.opts.resourceLimits });
    this.worker = w;
    this.deadReason = null;
    w.on('message', (m: FromWorker) => this.onMessage(m));
    w.on('error', (e) => this.fail(w, `the engine worker crashed: ${e.message}`));
    w.on('exit', (code) => this.fail(w, `the engine worker exited (code ${code})`));
  }

  private fail(w: Worker, reason: string): void {
    if (w !== this.worker || this.deadReason) return;
    this.deadReason = reason;
    const err = new EngineError('WORKER', `${reason}; the engine's state is lost — restart() it and open the video again`);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'preencode') {
      for (const l of this.preencodeListeners) l(m.status);
      return;
    }
    if (m.type === 'spawnPreencode') {
      this.spawnPreencode(m.data, m.port);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'frame') {
      p.onFrame?.(m.frame);
      return;
    }
    if (m.type === 'progress') {
      p.onProgress?.(m.progress);
      return;
    }
    this.pending.delete(m.id);
    if (m.type === 'result') p.resolve(m.value);
    else p.reject(toError(m.error));
  }

  /**
   * The engine's pre-encoding thread, started here beside the engine worker rather than inside it:
   * it is never terminated (a thread inside a native run takes the process down with it); when
   * the engine worker goes, its port closes and the thread finishes its run and exits.
   */
  private spawnPreencode(data: PreencodeThreadData, port: MessagePort): void {
    const path = this.opts.preencodeWorkerPath ?? join(dirname(this.opts.workerPath ?? defaultWorkerPath()), 'preencode-worker.js');
    const w = startPreencodeWorker(path, data, port);
    this.siblings.add(w);
    w.once('exit', () => this.siblings.delete(w));
  }

  /** Pre-encoding threads started beside the engine worker that have not exited yet. */
  get preencodeThreads(): number {
    return this.siblings.size;
  }

  /** Resolves once every pre-encoding thread has exited (each finishes its run in flight first). */
  private async siblingsExited(graceMs = SIBLING_GRACE_MS): Promise<void> {
    const exits = [...this.siblings].map((w) => new Promise<void>((r) => w.once('exit', () => r())));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.all(exits), new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
  }

  private send(msg: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  private request<K extends RequestName>(
    op: K,
    args: Requests[K][0],
    onFrame?: (f: PropagatedFrame) => void,
    transfer: ArrayBuffer[] = [],
  ): { id: number; done: Promise<Requests[K][1]> } {
    const id = this.nextId++;
    if (this.deadReason) return { id, done: Promise.reject(new EngineError('WORKER', `${this.deadReason}; call restart()`)) };
    const done = new Promise<Requests[K][1]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onFrame });
    });
    this.send({ type: 'request', id, op, args }, transfer);
    return { id, done };
  }

  /** Loads a pack and a video (folder of numbered frames, video file, or RGB frames) into the engine. */
  open(pack: string, source: SourceSpec, options: PredictorOptions = {}, preencode?: Partial<PreencodeSettings>): Promise<EngineInfo> {
    const transfer = source.kind === 'frames' ? transferables(source.frames) : [];
    return this.request('open', { pack, source, options, preencode }, undefined, transfer).done;
  }

  /** The playhead rests on `frame` (null: none): the engine pre-encodes it and its neighbours while idle. */
  preencode(frame: number | null): Promise<PreencodeStatus> {
    return this.request('preencode', { frame }).done;
  }

  /** Turns pre-encoding on or off and sets its window (±frames). */
  preencodeSettings(settings: Partial<PreencodeSettings>): Promise<PreencodeStatus> {
    return this.request('preencodeSettings', settings).done;
  }

  /** Pre-encoding progress, as the worker reports it; returns the unsubscribe function. */
  onPreencode(listener: (s: PreencodeStatus) => void): () => void {
    this.preencodeListeners.add(listener);
    return () => this.preencodeListeners.delete(listener);
  }

  addPoints(frame: number, objId: number, input: AddPointsInput, out?: OutputOptions): Promise<PromptResult> {
    return this.request('addPoints', { frame, objId, points: input.points, labels: input.labels, box: input.box ?? null, clearOld: input.clearOld, out }).done;
  }

  chooseCandidate(frame: number, objId: number, index: number, out?: OutputOptions): Promise<FrameResult> {
    return this.request('chooseCandidate', { frame, objId, index, out }).done;
  }

  /** The mask's buffer is transferred to the worker (the caller's array becomes empty). */
  addMask(frame: number, objId: number, mask: Uint8Array, out?: OutputOptions): Promise<FrameResult> {
    return this.request('addMask', { frame, objId, mask, out }, undefined, transferables(mask)).done;
  }

  clearFramePrompts(frame: number, objId: number, out?: OutputOptions): Promise<FrameResult> {
    return this.request('clearFramePrompts', { frame, objId, out }).done;
  }

  /** Times one tracked frame's graphs on a frame of the open video (the pack's speed here). */
  timeFrame(frame = 0): Promise<FrameTiming> {
    return this.request('timeFrame', { frame }).done;
  }

  removeObject(objId: number): Promise<{ frames: number[] }> {
    return this.request('removeObject', { objId }).done;
  }

  reset(): Promise<null> {
    return this.request('reset', {}).done;
  }

  frameMasks(frame: number, out?: OutputOptions): Promise<FrameResult> {
    return this.request('frameMasks', { frame, out }).done;
  }

  objects(): Promise<{ id: number; promptedFrames: number[]; outputFrames: number[] }[]> {
    return this.request('objects', {}).done;
  }

  /** The object's outputs (all, or on `frames`) as serializable snapshots (core/sam2/output-snapshot). */
  exportOutputs(objId: number, frames?: number[]): Promise<OutputSnapshot[]> {
    return this.request('exportOutputs', { objId, frames }).done;
  }

  /**
   * Puts snapshots back after clearing the object's frames in `clear` ('all': the whole object).
   * The entries' arrays are transferred to the worker (the caller's copies become empty).
   */
  importOutputs(objId: number, entries: OutputSnapshot[], clear: number[] | 'all' = []): Promise<null> {
    return this.request('importOutputs', { objId, entries, clear }, undefined, transferables(entries)).done;
  }

  stats(): Promise<unknown> {
    return this.request('stats', {}).done;
  }

  /**
   * Streams propagated frames. Aborting the signal cancels the propagation in the worker; the
   * iteration then ends with an EngineError CANCELLED after the frames already computed.
   */
  async *propagate(opts: ClientPropagateOptions = {}): AsyncGenerator<PropagatedFrame> {
    const { signal, onProgress, ...args } = opts;
    const queue: PropagatedFrame[] = [];
    let wake: (() => void) | null = null;
    let finished = false;
    let failure: Error | null = null;
    const { id, done } = this.request('propagate', args, (f) => {
      queue.push(f);
      wake?.();
    });
    done.then(
      () => {
        finished = true;
        wake?.();
      },
      (e: Error) => {
        failure = e;
        finished = true;
        wake?.();
      },
    );
    const cancel = () => {
      if (this.alive) this.send({ type: 'cancel', id });
    };
    if (signal?.aborted) cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    let consumed = 0;
    try {
      for (;;) {
        const f = queue.shift();
        if (f) {
          consumed++;
          if (this.alive) this.send({ type: 'ack', id, frames: consumed });
          onProgress?.({ done: f.index + 1, total: f.total, frame: f.frame });
          yield f;
          continue;
        }
        if (finished) break;
        await new Promise<void>((r) => (wake = r));
        wake = null;
      }
      if (failure) throw failure;
    } finally {
      signal?.removeEventListener('abort', cancel);
      // the consumer stopped early: stop the worker too, and wait until it is free again
      if (!finished) {
        cancel();
        await done.catch(() => undefined);
      }
    }
  }

  /**
   * Segment everything on one frame (docs/amg.md): progress in grid points; aborting the signal
   * cancels in the worker, which then rejects with EngineError CANCELLED.
   */
  async segmentEverything(
    frame: number,
    options: Partial<AmgOptions> = {},
    run: { signal?: AbortSignal; onProgress?: (p: AmgProgress) => void } = {},
  ): Promise<Requests['segmentEverything'][1]> {
    const { id, done } = this.request('segmentEverything', { frame, options });
    const pending = this.pending.get(id);
    if (pending) pending.onProgress = run.onProgress;
    const cancel = () => {
      if (this.alive) this.send({ type: 'cancel', id });
    };
    if (run.signal?.aborted) cancel();
    run.signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await done;
    } finally {
      run.signal?.removeEventListener('abort', cancel);
    }
  }

  /** Closes the engine and stops the worker. */
  async close(): Promise<void> {
    if (this.deadReason) return;
    await this.request('close', {}).done.catch(() => undefined);
    this.deadReason = 'the engine was closed';
    await this.worker.terminate();
    await this.siblingsExited();
  }

  /** A fresh worker after a crash or close (the engine starts empty: open the video again). */
  restart(): void {
    if (!this.deadReason) {
      const old = this.worker;
      this.fail(old, 'the engine was restarted');
      void old.terminate();
    }
    this.spawn();
  }

  /** For tests: kill the worker as a crash would. */
  async kill(): Promise<void> {
    await this.worker.terminate();
  }
}
