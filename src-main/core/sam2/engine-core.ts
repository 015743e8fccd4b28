// The shared machinery under the predictor: frame features (cached), the constants taken from
// the graphs (position encodings), memory encoding with the pack's storage (bf16 for SAM 2.1,
// float32 for EdgeTAM; T tokens per memory), recomputation of evicted memories, pointer positions, and the no-memory decoder call that automatic mask generation
// builds on.
import { toBf16Bits } from './bf16';
import { PackError } from './errors';
import { FeatureCache, type FrameFeatures } from './feature-cache';
import type { FrameSource } from './frame-source';
import { Sam2Graphs, type DecoderOutput, type EncoderOutput } from './graphs';
import { runsToLogits } from './low-res-rle';
import type { PackManifest } from './manifest';
import { positionsByRow, toTokens, type StoredMemory } from './memory-assembly';
import { featureBudgetFor, memoryPlan, outputBudgetFor, type MemoryMode } from './memory-mode';
import { conditioningPinLimit, DEFAULT_PREENCODE_WINDOW, featureBytesPerFrame, pinnedConditioning, type FeatureClass } from './preencode-plan';
import type { FrameOut } from './object-state';
import { OutputLru } from './output-lru';
import type { ModelPack, PackParams } from './pack';
import { pointerPosition, pointerRel } from './pointer-encoding';
import { preprocessFrame } from './preprocess';
import { batchRows } from './scratch-pool';

/** A foreground caller waits for a pre-encoding run until it is this many times the fastest run seen, counted from its start. */
export const JOIN_PATIENCE = 2;

export interface CoreOptions {
  /** memory mode the default budgets and attention batching follow (default 'fast'; sessions.ts resolves 'auto') */
  memoryMode?: MemoryMode;
  /** byte budget of the feature cache (default: sized from the pack and the memory mode, see featureBudgetFor) */
  featureCacheBytes?: number;
  /** byte budget of evictable non-conditioning outputs (default: sized from the pack, the objects tracked and the memory mode, see outputBudgetFor) */
  outputCacheBytes?: number;
  /** pre-encoding window (±frames) the default feature budget makes room for (default 4) */
  preencodeWindow?: number;
  /** run objects that share a frame and layout as one batch (default true) */
  batch?: boolean;
  /** most objects in one decoder / memory-encoder call (default 16) */
  maxBatch?: number;
  /** bytes one memory-attention call may use for its attention matrices (default: the memory mode's, 3 GiB in fast, one object per call in lean) */
  attentionBytes?: number;
  /** official predictor's hole filling: background holes up to this many low-res pixels (default 8, 0 = off) */
  fillHoleArea?: number;
}

export class Sam2Core {
  readonly m: PackManifest;
  readonly p: PackParams;
  readonly cache: FeatureCache;
  readonly lru: OutputLru;
  /** run objects that share a frame and layout as one batch (can be switched between operations) */
  batch: boolean;
  readonly maxBatch: number;
  readonly attentionBytes: number;
  readonly fillHoleArea: number;
  /** h·w tokens of the feature map, low-res mask side L = 4h */
  readonly hw: number;
  readonly L: number;
  /** T: tokens of one stored memory (h·w for SAM 2.1, the perceiver's latents for EdgeTAM) */
  readonly memTokens: number;
  /** vision position encoding as [hw, C] tokens (input-independent; from the first encoder run) */
  visionPosTokens: Float32Array | null = null;
  /** memory position encoding + temporal row, token-major, per row (from the first memory encoding) */
  posByRow: Float32Array[] | null = null;
  /** time spent in TypeScript preprocessing (resize + normalise) */
  preprocessMs = 0;
  recomputedMemories = 0;
  /** image-encoder runs of the pre-encoder, and of everything else; `dropped`: background runs whose frame was cached meanwhile (a late run taken over) */
  encoderRuns = { background: 0, foreground: 0, dropped: 0 };
  /** frames kept whatever pre-encoding wants: conditioning frames (set by the predictor) */
  condFrames: () => Iterable<number> = () => [];
  /** the frames a running propagation needs next (pinned), and the pre-encoding window */
  propagationAhead = new Set<number>();
  preencodeWindow = new Set<number>();
  /** the pre-encoding window's radius (±frames); a propagation pins as many frames ahead of it */
  preencodeRadius: number;
  readonly memoryMode: MemoryMode;
  private readonly outputBudgetFixed: boolean;
  private readonly featureBudgetFixed: boolean;
  private readonly pending = new Map<number, Promise<FrameFeatures>>();
  /** frames whose background encoder run a foreground caller waits for */
  private readonly joined = new Set<number>();
  /** each background run in flight and when it started, and the fastest encoder run seen (ms): how late a run is */
  private readonly backgroundRuns = new Map<number, { job: Promise<FrameFeatures>; t0: number }>();
  private fastestEncodeMs = Infinity;
  /** foreground callers that stopped waiting for a late (or failed) background run and encoded the frame here */
  encodedInstead = 0;
  private readonly ptrPos = new Map<number, Float32Array>();

  constructor(
    pack: ModelPack,
    readonly graphs: Sam2Graphs,
    readonly source: FrameSource,
    opts: CoreOptions = {},
  ) {
    this.m = pack.manifest;
    this.p = pack.params;
    this.hw = this.m.featSize * this.m.featSize;
    this.L = 4 * this.m.featSize;
    this.memTokens = this.m.memoryTokensPerFrame;
    this.memoryMode = opts.memoryMode ?? 'fast';
    this.featureBudgetFixed = opts.featureCacheBytes !== undefined;
    this.cache = new FeatureCache(opts.featureCacheBytes ?? featureBudgetFor(this.memoryMode, this.m, opts.preencodeWindow ?? DEFAULT_PREENCODE_WINDOW));
    this.preencodeRadius = opts.preencodeWindow ?? DEFAULT_PREENCODE_WINDOW;
    this.cache.classify = (f) => this.featureClass(f);
    this.outputBudgetFixed = opts.outputCacheBytes !== undefined;
    this.lru = new OutputLru(opts.outputCacheBytes ?? outputBudgetFor(this.memoryMode, this.m, 1));
    this.batch = opts.batch ?? true;
    this.maxBatch = Math.max(1, opts.maxBatch ?? 16);
    this.attentionBytes = opts.attentionBytes ?? memoryPlan(this.memoryMode).attentionBytes;
    this.fillHoleArea = opts.fillHoleArea ?? 8;
  }

  /** Time per graph, cache and output-memory counters. */
  stats() {
    return {
      graphs: structuredClone(this.graphs.timing),
      preprocessMs: this.preprocessMs,
      featureCache: {
        frames: this.cache.size,
        bytes: this.cache.bytes,
        peakBytes: this.cache.peak,
        budget: this.cache.budget,
        hits: this.cache.hits,
        misses: this.cache.misses,
        refused: this.cache.refused,
      },
      encoderRuns: { ...this.encoderRuns, encodedInstead: this.encodedInstead },
      outputs: { evictableBytes: this.lru.bytes, budget: this.lru.budgetBytes, evictions: this.lru.evictions, recomputedMemories: this.recomputedMemories },
    };
  }

  /** Sizes the default output budget for the objects of a propagation (a fixed budget stays). */
  sizeOutputBudget(objects: number): void {
    if (!this.outputBudgetFixed) this.lru.budgetBytes = outputBudgetFor(this.memoryMode, this.m, objects);
  }

  /** The pre-encoding window changed: a default feature budget follows it (a fixed one stays). */
  setPreencodeWindow(frames: Iterable<number>, radius: number): void {
    this.preencodeWindow = new Set(frames);
    this.preencodeRadius = radius;
    if (!this.featureBudgetFixed) this.cache.setBudget(featureBudgetFor(this.memoryMode, this.m, radius));
  }

  featureClass(frame: number): FeatureClass {
    if (this.propagationAhead.has(frame)) return 'pinned';
    const cond = new Set(this.condFrames());
    if (cond.has(frame)) {
      const limit = conditioningPinLimit(this.cache.budget, featureBytesPerFrame(this.m), this.preencodeRadius);
      if (pinnedConditioning(this.cache.frames(), (f) => cond.has(f), limit).has(frame)) return 'pinned';
    }
    return this.preencodeWindow.has(frame) ? 'window' : 'plain';
  }

  /**
   * Pre-encoding: takes a frame's features from `encodeElsewhere` (the pre-encoding thread)
   * only if they can be cached without displacing a pinned or window frame (checked before and
   * after the run). A foreground caller asking for the frame meanwhile joins this run. Returns
   * whether the frame's features are cached afterwards.
   */
  async preencode(frame: number, encodeElsewhere: (frame: number) => Promise<EncoderOutput>): Promise<boolean> {
    if (this.cache.has(frame)) return true;
    const inflight = this.pending.get(frame);
    if (inflight) return inflight.then(() => this.cache.has(frame));
    if (!this.cache.admits(featureBytesPerFrame(this.m))) return false;
    await this.track(frame, true, () => encodeElsewhere(frame));
    return this.cache.has(frame);
  }

  /**
   * A tracked frame's features are not needed again unless the frame is pinned or in the
   * window: they become the first to be evicted (kept while the budget has room).
   */
  releaseTracked(frame: number): void {
    if (this.featureClass(frame) === 'plain') this.cache.demote(frame);
  }

  /** A frame's image features, from the cache or the image encoder (one run per frame at a time). */
  async features(frame: number): Promise<FrameFeatures> {
    const hit = this.cache.get(frame);
    if (hit) return hit;
    const inflight = this.pending.get(frame);
    if (inflight) {
      this.joined.add(frame);
      return this.join(frame, inflight);
    }
    return this.track(frame, false, () => this.encodeHere(frame));
  }

  /**
   * Waits for the encoder run in flight for `frame`. A pre-encoding run may be starved (its thread
   * has the lowest priority and other programs keep the cores busy) or fail: once it is later than
   * JOIN_PATIENCE × the fastest run seen, counted from its start, or failed, the engine encodes the
   * frame itself instead of waiting on.
   */
  private async join(frame: number, inflight: Promise<FrameFeatures>): Promise<FrameFeatures> {
    const bg = this.backgroundRuns.get(frame);
    // the engine's own run, or nothing to compare with yet: wait for it
    if (bg?.job !== inflight || !Number.isFinite(this.fastestEncodeMs)) return inflight.catch(() => this.encodeInstead(frame, inflight));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((r) => (timer = setTimeout(() => r(null), Math.max(0, bg.t0 + JOIN_PATIENCE * this.fastestEncodeMs - performance.now()))));
    const f = await Promise.race([inflight.catch(() => null), late]);
    clearTimeout(timer);
    return f ?? this.encodeInstead(frame, inflight);
  }

  private encodeInstead(frame: number, given: Promise<FrameFeatures>): Promise<FrameFeatures> {
    const other = this.pending.get(frame);
    if (other && other !== given) return other;
    this.encodedInstead++;
    return this.track(frame, false, () => this.encodeHere(frame));
  }

  /**
   * Pre-encoding with the engine's own session: the resting frame when the pre-encoding thread is
   * busy with another frame, or is late with this one (starved at its low priority). A run the
   * engine itself has in flight for the frame is joined; a late run of the thread is not waited
   * for (whichever finishes first is cached, the other's identical bits are dropped).
   */
  async preencodeHere(frame: number): Promise<boolean> {
    if (this.cache.has(frame)) return true;
    const inflight = this.pending.get(frame);
    if (inflight && !this.backgroundRuns.has(frame)) return inflight.then(() => this.cache.has(frame));
    if (!this.cache.admits(featureBytesPerFrame(this.m))) return false;
    await this.track(frame, true, () => this.encodeHere(frame));
    return this.cache.has(frame);
  }

  /**
   * When the background run in flight for `frame` counts as late: `factor` × the fastest encoder
   * run seen, counted from its start (performance.now() time), or null when there is no such run
   * or nothing to compare with yet.
   */
  lateAt(frame: number, factor: number): number | null {
    const bg = this.backgroundRuns.get(frame);
    if (!bg || !Number.isFinite(this.fastestEncodeMs)) return null;
    return bg.t0 + factor * this.fastestEncodeMs;
  }

  /** Whether an encoder run for `frame` is in flight (here or in the pre-encoding thread). */
  isEncoding(frame: number): boolean {
    return this.pending.has(frame);
  }

  /** The image encoder on `frame` with the engine's own session (read, preprocess, run). */
  async encodeHere(frame: number): Promise<EncoderOutput> {
    const rgb = await this.source.read(frame);
    const t0 = performance.now();
    const S = this.m.imageSize;
    // pixel_values (12 MiB at 1024) only live for the encoder run: the buffer serves the next frame
    const px = this.graphs.scratch.take(3 * S * S);
    preprocessFrame(rgb, S, this.m.pixelMean, this.m.pixelStd, px);
    this.preprocessMs += performance.now() - t0;
    try {
      return await this.graphs.imageEncoder(px);
    } finally {
      this.graphs.scratch.give(px);
    }
  }

  /** Runs one encoder call for a frame (here or elsewhere), registered so that others join it, and caches its features. */
  private async track(frame: number, background: boolean, run: () => Promise<EncoderOutput>): Promise<FrameFeatures> {
    const t0 = performance.now();
    const job = (async () => {
      const e = await run();
      this.fastestEncodeMs = Math.min(this.fastestEncodeMs, performance.now() - t0);
      if (!this.visionPosTokens) this.visionPosTokens = toTokens(e.visionPos, this.m.hiddenDim, this.hw);
      const f: FrameFeatures = { featS0: e.featS0, featS1: e.featS1, visionFeat: e.visionFeat };
      this.encoderRuns[background ? 'background' : 'foreground']++;
      // a late background run whose frame the engine encoded meanwhile brings the same bits: keep those
      if (background && this.cache.has(frame)) {
        this.encoderRuns.dropped++;
        return f;
      }
      // a foreground caller that joined a background run still gets the features, cached or not
      this.cache.set(frame, f, background && !this.joined.has(frame));
      return f;
    })();
    this.pending.set(frame, job);
    if (background) this.backgroundRuns.set(frame, { job, t0 });
    try {
      return await job;
    } finally {
      // the engine's own run for a frame may overlap a late background run: each clears only its own entry
      if (this.pending.get(frame) === job) {
        this.pending.delete(frame);
        this.joined.delete(frame);
      }
      if (background) this.backgroundRuns.delete(frame);
    }
  }

  /** vision_feat + no_memory_embedding: the decoder input of a conditioning frame without memory. */
  noMemoryEmbed(visionFeat: Float32Array): Float32Array {
    const C = this.m.hiddenDim;
    const hw = this.hw;
    const out = new Float32Array(C * hw);
    const e = this.p.noMemoryEmbedding;
    for (let c = 0; c < C; c++) {
      const v = e[c]!;
      for (let n = 0; n < hw; n++) out[c * hw + n] = Math.fround(visionFeat[c * hw + n]! + v);
    }
    return out;
  }

  /**
   * Memory features of several objects on one frame, batched, in token-major layout [T, D] ready
   * to be copied into the memory-attention input: bf16 bit patterns when the pack says
   * memory_bf16, the graph's float32 values otherwise (edgetam-notes.md section 5, changes 2-3).
   */
  async encodeMemory(frame: number, items: { lowRes: Float32Array; score: number; binarize: boolean }[]): Promise<StoredMemory[]> {
    if (items.length === 0) return [];
    const f = await this.features(frame);
    const { L, memTokens: T } = this;
    const D = this.m.memDim;
    const out: StoredMemory[] = [];
    const chunk = this.batch ? this.maxBatch : 1;
    for (let s = 0; s < items.length; s += chunk) {
      const part = items.slice(s, s + chunk);
      const B = part.length;
      const masks = batchRows(
        part.map((it) => it.lowRes),
        L * L,
        (n) => this.graphs.scratch.take(n),
      );
      let r: { features: Float32Array; posEnc: Float32Array };
      try {
        r = await this.graphs.memoryEncoder(
          f.visionFeat,
          masks.data,
          Float32Array.from(part, (it) => it.score),
          Float32Array.from(part, (it) => (it.binarize ? 1 : 0)),
        );
      } finally {
        if (masks.pooled) this.graphs.scratch.give(masks.pooled);
      }
      if (r.features.length !== B * T * D || r.posEnc.length < T * D) {
        const file = this.m.graphs.memory_encoder;
        throw new PackError(
          'GRAPH_SIGNATURE',
          `${file} returned ${r.features.length / (B * D)} tokens per memory, model.json says ${T} (memory_tokens_per_frame)`,
          file,
        );
      }
      // SAM 2.1's graph returns [B, D, h, w] planes; EdgeTAM's perceiver already returns [B, T, D]
      const tokensOf = (a: Float32Array) => (this.m.memoryTokenMajor ? a.slice() : toTokens(a, D, T));
      if (!this.posByRow) this.posByRow = positionsByRow(tokensOf(r.posEnc.subarray(0, T * D)), this.p.memoryTemporalPosEnc, D, T, this.m.numMaskmem);
      for (let b = 0; b < B; b++) {
        const tokens = tokensOf(r.features.subarray(b * D * T, (b + 1) * D * T));
        out.push(this.m.memoryBf16 ? toBf16Bits(tokens) : tokens);
      }
    }
    return out;
  }

  /** The logits stored for an output, or the substitute rebuilt from its summary when evicted. */
  lowResOf(o: FrameOut): Float32Array {
    return o.predMasks ?? runsToLogits(o.summary.runs, this.L * this.L, o.summary.fgMean, o.summary.bgMean);
  }

  /** An output's memory features, recomputed from its logits (or their substitute) if evicted. */
  async ensureMemory(frame: number, o: FrameOut, evictable: boolean): Promise<StoredMemory> {
    if (o.maskmem) {
      if (evictable) this.lru.touch(o);
      return o.maskmem;
    }
    const [mem] = await this.encodeMemory(frame, [{ lowRes: this.lowResOf(o), score: o.score, binarize: o.memFromPrompt }]);
    o.maskmem = mem!;
    this.recomputedMemories++;
    if (evictable) this.lru.touch(o);
    return o.maskmem;
  }

  /** Projected temporal position of a pointer at distance `dist` (cached per distance). */
  pointerPos(dist: number, tDiffMax: number): Float32Array {
    const rel = pointerRel(dist, tDiffMax);
    let p = this.ptrPos.get(rel);
    if (!p) {
      p = pointerPosition(rel, this.m.hiddenDim, this.p.tposProjWeight, this.p.tposProjBias);
      this.ptrPos.set(rel, p);
    }
    return p;
  }

  /**
   * The decoder on a frame's features with the no-memory embedding, for arbitrary point batches
   * (automatic mask generation). coords are model pixels [B, P, 2] including any padding point;
   * returns the raw outputs of all four tokens.
   */
  async decodeWithoutMemory(frame: number, coords: Float32Array, labels: Int32Array, batch: number, numPoints: number): Promise<DecoderOutput> {
    if (coords.length !== batch * numPoints * 2 || labels.length !== batch * numPoints) {
      throw new Error(`decodeWithoutMemory: coords/labels do not match batch ${batch} × ${numPoints} points`);
    }
    const f = await this.features(frame);
    const embed = this.noMemoryEmbed(f.visionFeat);
    const imageEmbed = new Float32Array(embed.length * batch);
    for (let b = 0; b < batch; b++) imageEmbed.set(embed, b * embed.length);
    return this.graphs.maskDecoder({
      imageEmbed,
      featS0: f.featS0,
      featS1: f.featS1,
      coords,
      labels,
      maskInput: new Float32Array(batch * this.L * this.L),
      hasMask: new Float32Array(batch),
      batch,
      numPoints,
    });
  }
}
