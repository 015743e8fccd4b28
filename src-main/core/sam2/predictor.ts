// The SAM 2.1 video predictor: profile O (the official per-object predictor) with every prompted
// frame kept as a conditioning frame, so corrections are never overwritten by propagation.
// Prompts return the masks of all objects on the frame at once; propagation streams frames.
// Every call validates its input before touching state; a failed call leaves state unchanged.
import { fromBf16Bits } from './bf16';
import { candidateOutput, candidateSet, candidatesView, type Candidates } from './candidates';
import { Sam2Core, type CoreOptions } from './engine-core';
import { EngineError } from './errors';
import type { FrameFeatures } from './feature-cache';
import { checkFrameIndex, type FrameSource } from './frame-source';
import { frameResult, type FrameResult, type OutputOptions } from './frame-output';
import { Sam2Graphs, type DecoderOutput } from './graphs';
import { maskToModelSize } from './mask-prompt';
import { runMaskPromptStep } from './mask-prompt-step';
import { currentOutput, newObjectState, promptedFrames, type ObjectState } from './object-state';
import { exportSnapshots, importSnapshots, isEmptyObject, type OutputSnapshot } from './output-snapshot';
import { loadPack, type ModelPack } from './pack';
import { buildStoredPoints, validatePointPrompt, type Box } from './points';
import { checkAllPrompted, preflight, propagateFrames, type PropagatedFrame } from './propagation';
import { createSessions, type GraphSessions, type SessionOptions } from './sessions';
import { runTrackSteps } from './track-step';

export type { PropagatedFrame } from './propagation';
export type { FrameResult, ObjectFrameResult, OutputOptions } from './frame-output';
export type { Candidates } from './candidates';
export type { OutputSnapshot } from './output-snapshot';

export interface PredictorOptions extends Omit<CoreOptions, 'memoryMode'>, SessionOptions {}

export interface AddPointsInput {
  /** video pixels */
  points: [number, number][];
  /** 1 positive, 0 negative */
  labels: number[];
  box?: Box | null;
  /** replace the frame's earlier points for this object (default true) */
  clearOld?: boolean;
}

export interface PromptResult extends FrameResult {
  /** set when the decoder offered alternatives (a single click) */
  candidates: Candidates | null;
}

export interface PropagateOptions extends OutputOptions {
  /** default: the earliest prompted frame of any object */
  start?: number;
  /** default: the whole video (maxFrames = N visits up to N + 1 frames, as the reference) */
  maxFrames?: number;
  reverse?: boolean;
  signal?: AbortSignal;
}

export class Sam2VideoPredictor {
  private readonly objects = new Map<number, ObjectState>();
  private busy: string | null = null;
  private closed = false;

  private constructor(
    readonly core: Sam2Core,
    readonly sessions: GraphSessions,
    readonly pack: ModelPack,
  ) {
    // conditioning frames keep their features whatever pre-encoding wants (the last ones worked on: pinnedConditioning)
    core.condFrames = () => this.conditioningFrames();
  }

  /** Frames some object has a conditioning or pending prompt output on. */
  private *conditioningFrames(): Iterable<number> {
    for (const o of this.objects.values()) {
      yield* o.cond.keys();
      yield* o.temp.keys();
    }
  }

  /** Loads (or takes) a pack, opens its sessions and binds a frame source. */
  static async create(pack: ModelPack | string, source: FrameSource, opts: PredictorOptions = {}): Promise<Sam2VideoPredictor> {
    const p = typeof pack === 'string' ? await loadPack(pack) : pack;
    const sessions = await createSessions(p, opts);
    return new Sam2VideoPredictor(new Sam2Core(p, new Sam2Graphs(sessions, p.manifest), source, { ...opts, memoryMode: sessions.memory.mode }), sessions, p);
  }

  get numFrames(): number {
    return this.core.source.numFrames;
  }
  get width(): number {
    return this.core.source.width;
  }
  get height(): number {
    return this.core.source.height;
  }
  /** the operation in progress (e.g. 'propagate'), or null when idle */
  get busyWith(): string | null {
    return this.busy;
  }
  /** object ids in the order they were first prompted */
  get objectIds(): number[] {
    return [...this.objects.keys()];
  }
  promptedFrames(objId: number): number[] {
    return promptedFrames(this.object(objId));
  }
  /** frames that have an output for the object (prompted or tracked), ascending */
  outputFrames(objId: number): number[] {
    const o = this.object(objId);
    return [...new Set([...o.cond.keys(), ...o.nonCond.keys(), ...o.temp.keys()])].sort((a, b) => a - b);
  }

  async addPoints(frame: number, objId: number, input: AddPointsInput, out: OutputOptions = {}): Promise<PromptResult> {
    return this.exclusive('addPoints', async () => {
      this.checkFrame(frame);
      checkObjectId(objId);
      const clearOld = input.clearOld ?? true;
      validatePointPrompt({ points: input.points ?? [], labels: input.labels ?? [], box: input.box ?? null }, this.width, this.height, clearOld);
      const obj = this.objects.get(objId) ?? newObjectState(objId);
      const stored = buildStoredPoints(
        { points: input.points ?? [], labels: input.labels ?? [], box: input.box ?? null },
        obj.points.get(frame),
        clearOld,
        this.width,
        this.height,
        this.core.m.imageSize,
      );
      const tracked = obj.tracked.get(frame);
      const prev = currentOutput(obj, frame);
      const prevLogits = prev ? clamp(this.core.lowResOf(prev.out), 32) : null;
      const [r] = await runTrackSteps(this.core, frame, [{ obj, isInitCond: !tracked, reverse: tracked?.reverse ?? false, points: stored, prevLogits }], {
        runMemEncoder: false,
        numFrames: this.numFrames,
      });
      // commit
      this.objects.set(objId, obj);
      obj.points.set(frame, stored);
      obj.maskFrames.delete(frame);
      obj.temp.set(frame, r!.out);
      obj.candidates = null;
      if (r!.choice.multimask) obj.candidates = candidateSet(r!, frame, this.core.L, this.core.m.hiddenDim);
      const result = frameResult(this.core, this.objects.values(), frame, out);
      const mine = result.objects.find((o) => o.objId === objId && o.hasOutput && o.mask);
      const cur = mine ? currentOutput(obj, frame) : null;
      const known = mine && cur ? { logits: this.core.lowResOf(cur.out), mask: mine.mask! } : undefined;
      return { ...result, candidates: candidatesView(this.core, obj, known) };
    });
  }

  /**
   * The UI's Tab: make alternative `index` (0..2) of the last single click on this frame the
   * object's output there: its mask and the pointer of its token. The output stays a prompt
   * output (its memory is encoded again at the next propagation); tracked frames are not
   * recomputed until the next propagation.
   */
  async chooseCandidate(frame: number, objId: number, index: number, out: OutputOptions = {}): Promise<FrameResult> {
    return this.exclusive('chooseCandidate', async () => {
      this.checkFrame(frame);
      const obj = this.object(objId);
      const c = obj.candidates;
      if (!c || c.frame !== frame)
        throw new EngineError('NO_CANDIDATES', `object ${objId} has no alternatives on frame ${frame}: they exist right after a single click`);
      if (!Number.isInteger(index) || index < 0 || index > 2)
        throw new EngineError('BAD_ARGUMENT', `candidate index must be 0, 1 or 2, got ${JSON.stringify(index)}`);
      obj.temp.set(frame, candidateOutput(this.core, c, index));
      c.chosen = index;
      return frameResult(this.core, this.objects.values(), frame, out);
    });
  }

  /** A mask prompt (H×W, non-zero = object) replaces the frame's prompt for this object. */
  async addMask(frame: number, objId: number, mask: Uint8Array, out: OutputOptions = {}): Promise<FrameResult> {
    return this.exclusive('addMask', async () => {
      this.checkFrame(frame);
      checkObjectId(objId);
      if (!(mask instanceof Uint8Array) || mask.length !== this.width * this.height) {
        throw new EngineError(
          'BAD_MASK',
          `the mask must be a ${this.width}x${this.height} Uint8Array (${this.width * this.height} values), got ${mask?.length ?? typeof mask}`,
        );
      }
      const obj = this.objects.get(objId) ?? newObjectState(objId);
      const m = maskToModelSize(mask, this.height, this.width, this.core.m.imageSize);
      const result = await runMaskPromptStep(this.core, frame, m);
      this.objects.set(objId, obj);
      obj.points.delete(frame);
      obj.maskFrames.add(frame);
      obj.temp.set(frame, result);
      if (obj.candidates?.frame === frame) obj.candidates = null;
      return frameResult(this.core, this.objects.values(), frame, out);
    });
  }

  /** Removes the object's prompts on a frame; a prompted output there becomes an ordinary tracked one. */
  async clearFramePrompts(frame: number, objId: number, out: OutputOptions = {}): Promise<FrameResult> {
    return this.exclusive('clearFramePrompts', async () => {
      this.checkFrame(frame);
      const obj = this.object(objId);
      obj.points.delete(frame);
      obj.maskFrames.delete(frame);
      obj.temp.delete(frame);
      if (obj.candidates?.frame === frame) obj.candidates = null;
      const c = obj.cond.get(frame);
      if (c) {
        obj.cond.delete(frame);
        obj.nonCond.set(frame, c);
        this.core.lru.touch(c);
        obj.tracked.delete(frame);
      }
      return frameResult(this.core, this.objects.values(), frame, out);
    });
  }

  /** Drops an object and everything about it; the other objects are untouched. Returns its prompted frames. */
  async removeObject(objId: number): Promise<{ frames: number[] }> {
    return this.exclusive('removeObject', async () => {
      const obj = this.object(objId);
      const frames = promptedFrames(obj);
      for (const o of obj.nonCond.values()) this.core.lru.forget(o);
      this.objects.delete(objId);
      return { frames };
    });
  }

  /** The object's outputs (all, or on `frames`) as serializable snapshots; [] for an unknown object. */
  exportOutputs(objId: number, frames?: number[]): OutputSnapshot[] {
    const o = this.objects.get(objId);
    return o ? exportSnapshots(this.core, o, frames) : [];
  }

  /**
   * Puts snapshots back (output-snapshot.ts): clears the object's frames in `clear` ('all': the
   * whole object) and the entries' frames, then restores the entries. An object left with
   * nothing is dropped; an unknown one is created.
   */
  async importOutputs(objId: number, entries: OutputSnapshot[], clear: number[] | 'all' = []): Promise<void> {
    return this.exclusive('importOutputs', async () => {
      checkObjectId(objId);
      const obj = this.objects.get(objId) ?? newObjectState(objId);
      importSnapshots(this.core, obj, entries, clear, this.numFrames);
      if (isEmptyObject(obj)) this.objects.delete(objId);
      else this.objects.set(objId, obj);
    });
  }

  /** Forgets all objects, prompts and outputs; frames and cached features are kept. */
  reset(): void {
    if (this.busy) throw new EngineError('BUSY', `the engine is busy (${this.busy})`);
    this.objects.clear();
    this.core.lru.clear();
  }

  /** Every object's current output on a frame. */
  frameMasks(frame: number, out: OutputOptions = {}): FrameResult {
    this.checkFrame(frame);
    return frameResult(this.core, this.objects.values(), frame, out);
  }

  async *propagate(opts: PropagateOptions = {}): AsyncGenerator<PropagatedFrame> {
    this.enter('propagate');
    try {
      const only = opts.objIds ? new Set(opts.objIds) : null;
      const objects = [...this.objects.values()].filter((o) => !only || only.has(o.id));
      for (const id of only ?? []) this.object(id);
      if (opts.start !== undefined) this.checkFrame(opts.start, 'start frame');
      const maxFrames = opts.maxFrames ?? this.numFrames;
      if (!Number.isInteger(maxFrames) || maxFrames < 0)
        throw new EngineError('BAD_ARGUMENT', `maxFrames must be a non-negative integer, got ${JSON.stringify(opts.maxFrames)}`);
      checkAllPrompted(objects);
      if (opts.signal?.aborted) throw new EngineError('CANCELLED', 'propagation cancelled before it started');
      await preflight(this.core, objects);
      const start = opts.start ?? Math.min(...objects.map((o) => Math.min(...o.cond.keys())));
      yield* propagateFrames(this.core, objects, { ...opts, start, maxFrames, reverse: opts.reverse ?? false });
    } finally {
      // the batched inputs' buffers served this propagation's frames: nothing is held between operations
      this.core.graphs.scratch.clear();
      this.leave();
    }
  }

  /**
   * Diagnostics (tests, stage-by-stage comparison with a reference): the object's stored output
   * on a frame — pointer, score, low-res logits and memory features (float32, token-major
   * [T, D]) — or null. Evicted parts are null.
   */
  debugOutput(
    objId: number,
    frame: number,
  ): { objPtr: Float32Array; score: number; lowRes: Float32Array | null; memory: Float32Array | null; isCond: boolean } | null {
    const cur = currentOutput(this.object(objId), frame);
    if (!cur) return null;
    const o = cur.out;
    return {
      objPtr: o.objPtr.slice(),
      score: o.score,
      lowRes: o.predMasks?.slice() ?? null,
      memory: o.maskmem ? (o.maskmem instanceof Uint16Array ? fromBf16Bits(o.maskmem) : o.maskmem.slice()) : null,
      isCond: cur.isCond,
    };
  }

  /** A frame's cached image features (computed when missing). */
  async getFrameFeatures(frame: number): Promise<FrameFeatures> {
    this.checkFrame(frame);
    return this.core.features(frame);
  }

  /** The decoder with the no-memory embedding on arbitrary point batches (model pixels, padding included). */
  async decodeWithoutMemory(frame: number, coords: Float32Array, labels: Int32Array, batch: number, numPoints: number): Promise<DecoderOutput> {
    this.checkFrame(frame);
    return this.core.decodeWithoutMemory(frame, coords, labels, batch, numPoints);
  }

  stats() {
    return {
      ...this.core.stats(),
      providers: { ...this.sessions.providers },
      fallbackReason: this.sessions.fallbackReason,
      fallbacks: [...this.sessions.fallbacks],
      attention: this.sessions.attention,
      encoderAttention: this.sessions.encoderAttention,
      memory: { ...this.sessions.memory },
      loadMs: this.sessions.loadMs,
      threads: this.sessions.threads,
    };
  }

  async dispose(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.objects.clear();
    this.core.cache.clear();
    await this.sessions.release();
    await this.core.source.close();
  }

  private object(objId: number): ObjectState {
    const o = this.objects.get(objId);
    if (!o) throw new EngineError('UNKNOWN_OBJECT', `there is no object ${JSON.stringify(objId)} (objects: ${this.objectIds.join(', ') || 'none'})`);
    return o;
  }

  private checkFrame(frame: number, what = 'frame'): void {
    checkFrameIndex(this.core.source, frame, what);
  }

  private enter(op: string): void {
    if (this.closed) throw new EngineError('CLOSED', 'the predictor was disposed');
    if (this.busy) throw new EngineError('BUSY', `the engine is busy (${this.busy}); wait for it or cancel it before ${op}`);
    this.busy = op;
  }

  private leave(): void {
    this.busy = null;
  }

  private async exclusive<T>(op: string, fn: () => Promise<T>): Promise<T> {
    this.enter(op);
    try {
      return await fn();
    } finally {
      this.core.graphs.scratch.clear();
      this.leave();
    }
  }
}

function checkObjectId(objId: number): void {
  if (!Number.isSafeInteger(objId)) throw new EngineError('BAD_ARGUMENT', `object id must be an integer, got ${JSON.stringify(objId)}`);
}

function clamp(a: Float32Array, limit: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! > limit ? limit : a[i]! < -limit ? -limit : a[i]!;
  return out;
}
