// Pre-encoding thread entry (built to out/main/preencode-worker.js, started by the main thread
// beside the engine worker, which talks to it over the MessagePort in its workerData:
// preencode-thread.ts): one image-encoder session of the open pack, one frame at a time. When the
// engine's end of the channel closes (the engine stopped, restarted or died) it finishes the run
// in flight and exits by itself — it is never terminated inside a native run.
// It lowers its own priority first where the plan says so (preencodeThreadPlan): on Linux the
// nice value and the scheduling policy are per thread and the session's intra-op threads,
// started afterwards, inherit them (thread-priority.ts).
import { workerData, type MessagePort } from 'node:worker_threads';
import { errorToData } from '../core/sam2/errors';
import { FolderFrameSource } from '../core/sam2/frame-source-folder';
import { encoderOutput, imageEncoderFeeds } from '../core/sam2/graphs';
import { loadPack } from '../core/sam2/pack';
import { preprocessFrame } from '../core/sam2/preprocess';
import { createGraphSession } from '../core/sam2/sessions';
import type { FromPreencodeThread, PreencodeThreadData, ToPreencodeThread } from './preencode-thread';
import { transferables } from './protocol';
import { lowerThreadPriority } from './thread-priority';

const data = workerData as PreencodeThreadData & { port?: MessagePort };
if (!data?.port) throw new Error('preencode-worker must run as a worker thread with its engine port in workerData');
const port = data.port;
const post = (m: FromPreencodeThread) => port.postMessage(m, m.type === 'features' ? transferables(m.features) : []);

// requests run one after another (queued while the session loads); 'stop' ends the loop after the run in flight
const queue: ToPreencodeThread[] = [];
let wake: (() => void) | null = null;
port.on('message', (msg: ToPreencodeThread) => {
  queue.push(msg);
  wake?.();
});
// the engine went away (closed, restarted, crashed): stop after the run in flight
port.once('close', () => {
  queue.length = 0;
  queue.push({ type: 'stop' });
  wake?.();
});

async function main(): Promise<void> {
  // refused parts leave it at a higher priority (pre-encoding still pauses between runs); the ready message says what it got
  const priority = lowerThreadPriority({ nice: data.nice, idle: data.idle });
  const t0 = performance.now();
  // the engine verified the pack's hashes when it opened it
  const pack = await loadPack(data.pack, { verifyHashes: false });
  // the arena where the plan gives it one (preencodeThreadPlan says what it costs and buys)
  const session = await createGraphSession(pack, 'image_encoder', data.provider, data.threads, { arena: data.arena });
  const source = data.folder ? await FolderFrameSource.open(data.folder) : null;
  const m = pack.manifest;
  post({ type: 'ready', loadMs: performance.now() - t0, priority });
  for (;;) {
    const msg = queue.shift();
    if (!msg) {
      await new Promise<void>((r) => (wake = r));
      wake = null;
      continue;
    }
    if (msg.type === 'stop') break;
    const t1 = performance.now();
    try {
      const rgb = msg.rgb ?? (await source!.read(msg.frame));
      const px = preprocessFrame(rgb, m.imageSize, m.pixelMean, m.pixelStd);
      const features = encoderOutput(await session.run(imageEncoderFeeds(px, m.imageSize)));
      post({ type: 'features', id: msg.id, frame: msg.frame, features, ms: performance.now() - t1 });
    } catch (e) {
      post({ type: 'error', id: msg.id, error: errorToData(e) });
    }
  }
  await session.release().catch(() => undefined);
  await source?.close();
  port.close();
}

main().catch((e) => {
  post({ type: 'error', id: 0, error: errorToData(e) });
  port.close();
});
