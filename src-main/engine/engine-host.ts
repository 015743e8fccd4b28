// The engine inside the worker: owns one predictor and answers protocol requests. Kept apart
// from the worker entry so it can be exercised without a thread.
import { totalmem } from 'node:os';
import { EngineError, errorToData } from '../core/sam2/errors';
import { checkFrameIndex } from '../core/sam2/frame-source';
import { openSource } from './open-source';
import { Sam2VideoPredictor } from '../core/sam2/predictor';
import { loadPack } from '../core/sam2/pack';
import { generateMasks, predictorBackend } from '../core/sam2/amg';
import { PreEncoder } from './preencoder';
import { PreencodeThread } from './preencode-thread';
import { preencodeThreadPlan } from '../core/sam2/preencode-plan';
import type { EncoderOutput } from '../core/sam2/graphs';
import { timeTrackedFrame } from '../core/sam2/frame-timing';
import type { EngineInfo, FromWorker, PropagateArgs, Requests, ToWorker } from './protocol';

export type Post = (msg: FromWorker) => void;

/** Requests that never pre-empt pre-encoding: reads, and the pre-encoder's own controls. */
const BACKGROUND_SAFE = new Set<string>(['stats', 'objects', 'frameMasks', 'exportOutputs', 'preencode', 'preencodeSettings']);

export class EngineHost {
  private predictor: Sam2VideoPredictor | null = null;
  /** the open video's frame folder, which the pre-encoding thread reads itself (other sources send their frames) */
  private folder: string | null = null;
  /** started when pre-encoding first needs it, stopped with the video */
  private thread: PreencodeThread | null = null;
  private readonly running = new Map<number, { abort: AbortController; acked: number; sent: number; wake: (() => void) | null }>();
  readonly preencoder: PreEncoder;

  constructor(private readonly post: Post) {
    this.preencoder = new PreEncoder(
      () => this.predictor?.core ?? null,
      (frame) => this.backgroundEncode(frame),
      (status) => this.post({ type: 'preencode', id: 0, status }),
    );
  }

  async handle(msg: ToWorker): Promise<void> {
    if (msg.type === 'cancel') {
      this.running.get(msg.id)?.abort.abort();
      return;
    }
    if (msg.type === 'ack') {
      const r = this.running.get(msg.id);
      if (r) {
        r.acked = Math.max(r.acked, msg.frames);
        r.wake?.();
      }
      return;
    }
    const { id, op, args } = msg;
    try {
      // what the user asked for pre-empts pre-encoding; reads and the pre-encoder's own requests do not
      const value = BACKGROUND_SAFE.has(op)
        ? await this.dispatch(id, op, args as never)
        : await this.preencoder.foreground(() => this.dispatch(id, op, args as never));
      this.post({ type: 'result', id, value });
    } catch (e) {
      this.post({ type: 'error', id, error: errorToData(e) });
    }
  }

  /** One frame through the pre-encoding thread (started on first use, with the engine's provider and the thread plan). */
  async backgroundEncode(frame: number): Promise<EncoderOutput> {
    const p = this.p();
    if (!this.thread) {
      const plan = preencodeThreadPlan(process.platform, p.sessions.threads, totalmem());
      // in lean memory mode no session keeps an arena, the thread's neither (it alone would hold ~1.3 GB with the hiera-tiny encoder)
      const arena = plan.arena && p.sessions.memory.mode === 'fast';
      const data = { pack: p.pack.dir, folder: this.folder, provider: p.sessions.providers.image_encoder, ...plan, arena };
      // the main thread starts it beside this worker (preencode-thread.ts says why)
      this.thread = new PreencodeThread(data, (d, port) => this.post({ type: 'spawnPreencode', id: 0, data: d, port }));
    }
    const thread = this.thread;
    // a frame of memory or of a decoded video file travels to the thread (a copy: the source keeps its own)
    const rgb = this.folder ? null : await p.core.source.read(frame);
    return thread.encode(frame, rgb ? { ...rgb, data: rgb.data.slice() } : null);
  }

  private async stopThread(): Promise<void> {
    const t = this.thread;
    this.thread = null;
    await t?.stop();
  }

  private p(): Sam2VideoPredictor {
    if (!this.predictor) throw new EngineError('CLOSED', 'no video is open in the engine: call open first');
    return this.predictor;
  }

  private async dispatch<K extends keyof Requests>(id: number, op: K, a: Requests[K][0]): Promise<unknown> {
    switch (op) {
      case 'open':
        return this.open(a as Requests['open'][0]);
      case 'addPoints': {
        const x = a as Requests['addPoints'][0];
        return this.p().addPoints(x.frame, x.objId, { points: x.points, labels: x.labels, box: x.box ?? null, clearOld: x.clearOld }, x.out);
      }
      case 'chooseCandidate': {
        const x = a as Requests['chooseCandidate'][0];
        return this.p().chooseCandidate(x.frame, x.objId, x.index, x.out);
      }
      case 'addMask': {
        const x = a as Requests['addMask'][0];
        return this.p().addMask(x.frame, x.objId, x.mask, x.out);
      }
      case 'clearFramePrompts': {
        const x = a as Requests['clearFramePrompts'][0];
        return this.p().clearFramePrompts(x.frame, x.objId, x.out);
      }
      case 'removeObject':
        return this.p().removeObject((a as Requests['removeObject'][0]).objId);
      case 'reset':
        this.p().reset();
        return null;
      case 'frameMasks': {
        const x = a as Requests['frameMasks'][0];
        return this.p().frameMasks(x.frame, x.out);
      }
      case 'objects': {
        const p = this.p();
        return p.objectIds.map((oid) => ({ id: oid, promptedFrames: p.promptedFrames(oid), outputFrames: p.outputFrames(oid) }));
      }
      case 'exportOutputs': {
        const x = a as Requests['exportOutputs'][0];
        return this.p().exportOutputs(x.objId, x.frames);
      }
      case 'importOutputs': {
        const x = a as Requests['importOutputs'][0];
        await this.p().importOutputs(x.objId, x.entries, x.clear);
        return null;
      }
      case 'propagate':
        return this.propagate(id, a as PropagateArgs);
      case 'segmentEverything':
        return this.segmentEverything(id, a as Requests['segmentEverything'][0]);
      case 'stats':
        return {
          ...this.p().stats(),
          preencodeThread: this.thread ? { ...this.thread.data, lastMs: this.thread.lastMs, priority: this.thread.priority } : null,
        };
      case 'preencode': {
        const x = a as Requests['preencode'][0];
        if (x.frame !== null) checkFrameIndex(this.p().core.source, x.frame);
        return this.preencoder.rest(x.frame);
      }
      case 'preencodeSettings':
        try {
          return this.preencoder.configure(a as Requests['preencodeSettings'][0]);
        } catch (e) {
          throw new EngineError('BAD_ARGUMENT', (e as Error).message);
        }
      case 'timeFrame':
        return timeTrackedFrame(this.p().core, (a as Requests['timeFrame'][0]).frame);
      case 'close':
        await this.stopThread();
        await this.predictor?.dispose();
        this.predictor = null;
        return null;
      default:
        throw new EngineError('BAD_ARGUMENT', `unknown engine request ${JSON.stringify(op)}`);
    }
  }

  private async open(a: Requests['open'][0]): Promise<EngineInfo> {
    if (this.predictor?.busyWith) throw new EngineError('BUSY', `the engine is busy (${this.predictor.busyWith}); cancel it before opening another video`);
    // the new video replaces the old one only once it opened
    const pack = await loadPack(a.pack);
    const source = await openSource(a.source, new AbortController().signal);
    let p: Sam2VideoPredictor;
    try {
      p = await Sam2VideoPredictor.create(pack, source, a.options ?? {});
    } catch (e) {
      await source.close();
      throw e;
    }
    await this.stopThread();
    await this.predictor?.dispose();
    this.predictor = p;
    this.folder = a.source.kind === 'folder' ? a.source.dir : null;
    // frame 0 is encoded as soon as the video is open (the playhead starts there)
    if (a.preencode) this.preencoder.configure(a.preencode);
    this.preencoder.rest(0);
    const s = p.stats();
    return {
      numFrames: p.numFrames,
      width: p.width,
      height: p.height,
      pack: { dir: pack.dir, name: pack.manifest.name, imageSize: pack.manifest.imageSize, bytes: pack.bytes },
      providers: s.providers,
      fallbackReason: s.fallbackReason,
      fallbacks: s.fallbacks,
      attention: s.attention,
      encoderAttention: s.encoderAttention,
      memory: s.memory,
      loadMs: s.loadMs,
      threads: s.threads,
    };
  }

  private async propagate(id: number, a: PropagateArgs): Promise<{ frames: number }> {
    const p = this.p();
    const state = { abort: new AbortController(), acked: 0, sent: 0, wake: null as (() => void) | null };
    this.running.set(id, state);
    const window = Math.max(1, a.window ?? 8);
    state.abort.signal.addEventListener('abort', () => state.wake?.(), { once: true });
    try {
      for await (const f of p.propagate({ ...a, signal: state.abort.signal })) {
        this.post({ type: 'frame', id, frame: f });
        state.sent++;
        // back-pressure: wait while the client is `window` frames behind (or until cancelled)
        while (state.sent - state.acked >= window && !state.abort.signal.aborted) {
          await new Promise<void>((resolve) => {
            state.wake = resolve;
          });
          state.wake = null;
        }
      }
      return { frames: state.sent };
    } finally {
      this.running.delete(id);
    }
  }

  private async segmentEverything(id: number, a: Requests['segmentEverything'][0]): Promise<Requests['segmentEverything'][1]> {
    const p = this.p();
    const state = { abort: new AbortController(), acked: 0, sent: 0, wake: null };
    this.running.set(id, state);
    try {
      const r = await generateMasks(predictorBackend(p), a.frame, a.options ?? {}, {
        signal: state.abort.signal,
        onProgress: (progress) => this.post({ type: 'progress', id, progress }),
      });
      return { masks: r.masks, stats: r.stats };
    } finally {
      this.running.delete(id);
    }
  }

  async shutdown(): Promise<void> {
    for (const r of this.running.values()) r.abort.abort();
    this.preencoder.rest(null);
    await this.preencoder.idle();
    await this.stopThread();
    await this.predictor?.dispose();
    this.predictor = null;
  }
}
