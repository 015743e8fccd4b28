// The service side of the labels worker: typed requests, progress callbacks, cancel by signal.
// The worker starts on first use; a crash fails the requests in flight and the next request
// starts a fresh worker (the model is opened again by the service).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FromWorker, RequestName, Requests, ToWorker } from './protocol';

export class LabelsWorkerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function defaultLabelsWorkerPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'labels-worker.js'), join(here, '..', 'labels-worker.js')];
  for (let d = here, i = 0; i < 6; i++, d = dirname(d)) candidates.push(join(d, 'out', 'main', 'labels-worker.js'));
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new LabelsWorkerError('WORKER', `the labels worker is not built (looked for labels-worker.js near ${here}); run \`npm run build\``);
  return resolve(found);
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  progress?: (done: number, total: number) => void;
}

export class LabelsClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** bumped when a worker dies: the service reopens its model */
  generation = 0;

  constructor(private readonly workerPath?: string) {}

  request<K extends RequestName>(
    type: K,
    args: Requests[K][0],
    o: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<Requests[K][1]> {
    const w = this.ensure();
    const id = this.nextId++;
    return new Promise((res, rej) => {
      if (o.signal?.aborted) return rej(new LabelsWorkerError('CANCELLED', `${type} was cancelled`));
      const onAbort = () => w.postMessage({ type: 'cancel', id } satisfies ToWorker);
      o.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (v) => {
          o.signal?.removeEventListener('abort', onAbort);
          res(v as Requests[K][1]);
        },
        reject: (e) => {
          o.signal?.removeEventListener('abort', onAbort);
          rej(e);
        },
        progress: o.onProgress,
      });
      w.postMessage({ type, id, args } as ToWorker);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.workerPath ?? defaultLabelsWorkerPath());
    this.worker = w;
    w.on('message', (m: FromWorker) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') return p.progress?.(m.done, m.total);
      this.pending.delete(m.id);
      if (m.type === 'result') p.resolve(m.value);
      else p.reject(new LabelsWorkerError(m.error.code, m.error.message));
    });
    const fail = (why: string) => {
      if (this.worker !== w) return;
      this.worker = null;
      this.generation++;
      for (const p of this.pending.values()) p.reject(new LabelsWorkerError('WORKER', why));
      this.pending.clear();
    };
    w.on('error', (e) => fail(`the labels worker crashed: ${e.message}`));
    w.on('exit', (code) => fail(`the labels worker exited (code ${code})`));
    w.unref();
    return w;
  }
}
