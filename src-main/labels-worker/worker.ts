// Labels worker thread entry (built to out/main/labels-worker.js): holds one CLIP model and
// answers crop/track classification requests off the service thread (see protocol.ts).
import { parentPort } from 'node:worker_threads';
import { ClipModel, labelTracks, ZeroShotLabeller } from '../core/labels';
import { rleArea } from '../core/masks/rle';
import { FolderFrameSource } from '../core/sam2/frame-source-folder';
import type { FromWorker, Requests, ToWorker } from './protocol';

if (!parentPort) throw new Error('labels-worker must run as a worker thread');
const port = parentPort;
const send = (m: FromWorker) => port.postMessage(m);

let labeller: ZeroShotLabeller | null = null;
const running = new Map<number, AbortController>();
const sources = new Map<string, Promise<FolderFrameSource>>();

function source(dir: string): Promise<FolderFrameSource> {
  let s = sources.get(dir);
  if (!s) {
    s = FolderFrameSource.open(dir);
    sources.set(dir, s);
    s.catch(() => sources.delete(dir));
  }
  return s;
}

function need(): ZeroShotLabeller {
  if (!labeller) throw Object.assign(new Error('no label model is open'), { code: 'NO_LABEL_MODEL' });
  return labeller;
}

const handlers: { [K in keyof Requests]: (a: Requests[K][0], signal: AbortSignal, progress: (d: number, t: number) => void) => Promise<Requests[K][1]> } = {
  async open(a) {
    const m = await ClipModel.open(a.dir, { variant: a.variant, threads: a.threads });
    await labeller?.dispose();
    labeller = new ZeroShotLabeller(m);
    return { dim: m.dim, name: m.folder.name };
  },
  async tracks(a, signal, progress) {
    const src = await source(a.framesDir);
    const byObject = new Map(a.tracks.map((t) => [t.objectId, t.picks]));
    const k = Math.max(1, ...a.tracks.map((t) => t.picks.length));
    return labelTracks(
      need(),
      a.set,
      a.tracks.map((t) => t.objectId),
      {
        masks: (id) => byObject.get(id)!.map((p) => ({ frame: p.frame, score: p.score, area: rleArea(p.rle), rle: p.rle })),
        readFrame: (f) => src.read(f),
      },
      { framesPerTrack: k, crop: a.crop, signal, onProgress: progress },
    );
  },
  async masks(a, signal, progress) {
    const src = await source(a.framesDir);
    const scored = await need().classifyMasks(await src.read(a.frame), a.masks, a.set, a.crop, signal, progress);
    return scored.map((s) => s?.ranked ?? null);
  },
};

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'cancel') {
    running.get(msg.id)?.abort();
    return;
  }
  const ac = new AbortController();
  running.set(msg.id, ac);
  const h = handlers[msg.type] as (a: unknown, s: AbortSignal, p: (d: number, t: number) => void) => Promise<unknown>;
  h(msg.args, ac.signal, (done, total) => send({ type: 'progress', id: msg.id, done, total }))
    .then((value) => send({ type: 'result', id: msg.id, value }))
    .catch((e: unknown) => {
      const err = e as { code?: unknown; message?: unknown };
      send({
        type: 'error',
        id: msg.id,
        error: { code: typeof err.code === 'string' ? err.code : 'LABELS_FAILED', message: typeof err.message === 'string' ? err.message : String(e) },
      });
    })
    .finally(() => running.delete(msg.id));
});
