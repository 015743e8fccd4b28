// The pre-encoding thread, seen from the engine worker: a second worker thread with its own
// image-encoder session (preencode-worker.ts), so that pre-encoding never occupies the engine's
// thread — onnxruntime's run blocks its thread and cannot be interrupted, so a click that
// arrived during a pre-encoder run used to wait for it. Features come back as transferred
// buffers (no copies) over a MessageChannel.
// The thread is a sibling of the engine worker, started by the main thread on the engine's
// request (`spawn`), not a child of it: a thread is never terminated inside a native run —
// that aborts the whole process, and a child would be terminated with the engine worker (a
// restart, a crash). When the engine worker goes, its end of the channel closes and the thread
// finishes the run in flight and exits by itself. Stopping also lets the run in flight finish.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { EngineError, type ErrorData } from '../core/sam2/errors';
import type { EncoderOutput } from '../core/sam2/graphs';
import type { RgbFrame } from '../core/sam2/preprocess';
import type { ProviderName } from '../core/sam2/sessions';
import { transferables } from './protocol';

export interface PreencodeThreadData {
  pack: string;
  /** the frame folder the thread reads itself; null: every request brings its frame */
  folder: string | null;
  provider: ProviderName;
  threads: number;
  /** nice value the thread takes before it opens its session (null: none) */
  nice: number | null;
  /** and the SCHED_IDLE policy (Linux) */
  idle: boolean;
  /** onnxruntime's CPU arena for its session */
  arena: boolean;
}

export type ToPreencodeThread = { type: 'encode'; id: number; frame: number; rgb: RgbFrame | null } | { type: 'stop' };

export type FromPreencodeThread =
  /** priority: what the thread got (e.g. 'SCHED_IDLE, nice 19'; refusals in parentheses) */
  | { type: 'ready'; loadMs: number; priority: string }
  | { type: 'features'; id: number; frame: number; features: EncoderOutput; ms: number }
  /** id 0: the thread could not start */
  | { type: 'error'; id: number; error: ErrorData };

/** Starts the thread with its end of the channel (the main thread does it: EngineClient). */
export type SpawnPreencodeThread = (data: PreencodeThreadData, port: MessagePort) => void;

/** The thread itself, on the main thread's side: started with its port, never terminated. */
export function startPreencodeWorker(path: string, data: PreencodeThreadData, port: MessagePort): Worker {
  const w = new Worker(path, { workerData: { ...data, port }, transferList: [port] });
  // its failures reach the engine as the port closing
  w.on('error', () => undefined);
  return w;
}

export class PreencodeThread {
  private readonly port: MessagePort;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (f: EncoderOutput) => void; reject: (e: Error) => void }>();
  private dead: string | null = null;
  private readonly exited: Promise<void>;
  /** milliseconds of the last run inside the thread (read, preprocess, encoder) */
  lastMs = 0;
  /** the priority the thread got (null until it is ready) */
  priority: string | null = null;

  constructor(
    readonly data: PreencodeThreadData,
    spawn: SpawnPreencodeThread,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.port.on('message', (m: FromPreencodeThread) => this.onMessage(m));
    // the thread closes its end when it exits (or dies): the channel closes on both sides
    this.exited = new Promise((resolve) => this.port.once('close', () => resolve()));
    void this.exited.then(() => this.fail('the pre-encoding thread stopped'));
    spawn(data, port2);
  }

  /** The image encoder on `frame` in the thread; `rgb` when the thread cannot read the video itself. */
  encode(frame: number, rgb: RgbFrame | null): Promise<EncoderOutput> {
    if (this.dead) return Promise.reject(new EngineError('WORKER', this.dead));
    const id = this.nextId++;
    return new Promise<EncoderOutput>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.port.postMessage({ type: 'encode', id, frame, rgb } satisfies ToPreencodeThread, rgb ? transferables(rgb.data) : []);
    });
  }

  /** Asks the thread to finish the run in flight and exit; resolves once it has. */
  async stop(): Promise<void> {
    if (!this.dead) this.port.postMessage({ type: 'stop' } satisfies ToPreencodeThread);
    await this.exited;
  }

  private onMessage(m: FromPreencodeThread): void {
    if (m.type === 'ready') {
      this.priority = m.priority;
      return;
    }
    if (m.type === 'error' && m.id === 0) return this.fail(m.error.message);
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.type === 'features') {
      this.lastMs = m.ms;
      p.resolve(m.features);
    } else p.reject(new EngineError((m.error.code ?? 'WORKER') as never, m.error.message, m.error.details));
  }

  private fail(reason: string): void {
    if (this.dead) return;
    this.dead = reason;
    const err = new EngineError('WORKER', reason);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
