// Typed calls of the four graphs with batch dimensions, and per-graph time accounting (the
// benchmark splits frame time into graph runs and TypeScript work with these counters).
import * as ort from 'onnxruntime-node';
import type { GraphName, PackManifest } from './manifest';
import { ScratchPool } from './scratch-pool';
import type { GraphSessions } from './sessions';

export interface GraphTiming {
  calls: number;
  ms: number;
  /** objects (batch rows) processed */
  items: number;
}

export interface EncoderOutput {
  featS0: Float32Array;
  featS1: Float32Array;
  visionFeat: Float32Array;
  visionPos: Float32Array;
}

export interface DecoderInput {
  /** [B, C, h, w] */
  imageEmbed: Float32Array;
  /** [1 or B, C/8, 4h, 4w]: a single frame's features are repeated for every row */
  featS0: Float32Array;
  featS1: Float32Array;
  /** [B, P, 2] */
  coords: Float32Array;
  /** [B, P] */
  labels: Int32Array;
  /** [B, 1, 4h, 4w] */
  maskInput: Float32Array;
  /** [B] 0/1 */
  hasMask: Float32Array;
  batch: number;
  numPoints: number;
}

export interface DecoderOutput {
  /** [B, 4, L, L] */
  lowRes: Float32Array;
  /** [B, 4] */
  iou: Float32Array;
  /** [B] */
  score: Float32Array;
  /** [B, 4, C] */
  pointers: Float32Array;
}

type FlagType = 'float32' | 'int32' | 'int64' | 'bool';

export class Sam2Graphs {
  readonly timing: Record<GraphName, GraphTiming> = {
    image_encoder: { calls: 0, ms: 0, items: 0 },
    mask_decoder: { calls: 0, ms: 0, items: 0 },
    memory_encoder: { calls: 0, ms: 0, items: 0 },
    memory_attention: { calls: 0, ms: 0, items: 0 },
  };
  private readonly S: number;
  private readonly h: number;
  private readonly C: number;
  private readonly D: number;
  /** tokens of one stored memory */
  private readonly T: number;
  private readonly flagTypes: Record<'has_mask_input' | 'binarize', FlagType>;
  /** buffers of the batched inputs, reused from call to call (scratch-pool.ts) */
  readonly scratch = new ScratchPool();

  constructor(
    private readonly s: GraphSessions,
    m: PackManifest,
  ) {
    this.S = m.imageSize;
    this.h = m.featSize;
    this.C = m.hiddenDim;
    this.D = m.memDim;
    this.T = m.memoryTokensPerFrame;
    const typeOf = (g: GraphName, name: string): FlagType => {
      const meta = (s.sessions[g].inputMetadata as unknown as { name: string; type?: string }[]).find((x) => x.name === name);
      return (meta?.type as FlagType) ?? 'float32';
    };
    this.flagTypes = { has_mask_input: typeOf('mask_decoder', 'has_mask_input'), binarize: typeOf('memory_encoder', 'binarize') };
  }

  get providers() {
    return this.s.providers;
  }

  /** total milliseconds spent inside graph runs so far */
  totalMs(): number {
    return Object.values(this.timing).reduce((a, t) => a + t.ms, 0);
  }

  /** Runs a graph; `pooled` inputs go back to the scratch pool once the run has read them. */
  private async run(
    g: GraphName,
    feeds: Record<string, ort.Tensor>,
    items: number,
    pooled: Float32Array<ArrayBuffer>[] = [],
  ): Promise<ort.InferenceSession.OnnxValueMapType> {
    try {
      const t0 = performance.now();
      const out = await this.s.sessions[g].run(feeds);
      const t = this.timing[g];
      t.ms += performance.now() - t0;
      t.calls++;
      t.items += items;
      return out;
    } finally {
      for (const a of pooled) this.scratch.give(a);
    }
  }

  /** One row's `per` values repeated for `n` batch rows (in a pooled buffer), or `a` when it already holds n rows. */
  private rows(a: Float32Array, per: number, n: number, pooled: Float32Array<ArrayBuffer>[]): Float32Array {
    if (a.length === per * n) return a;
    if (a.length !== per) throw new Error(`graph input of ${a.length} values is neither one row of ${per} nor ${n} rows`);
    const out = this.scratch.take(per * n);
    for (let i = 0; i < n; i++) out.set(a, i * per);
    pooled.push(out);
    return out;
  }

  private flag(kind: 'has_mask_input' | 'binarize', v: Float32Array): ort.Tensor {
    const type = this.flagTypes[kind];
    const dims = [v.length];
    if (type === 'int32') return new ort.Tensor('int32', Int32Array.from(v), dims);
    if (type === 'int64')
      return new ort.Tensor(
        'int64',
        BigInt64Array.from(v, (x) => BigInt(x)),
        dims,
      );
    if (type === 'bool') return new ort.Tensor('bool', Uint8Array.from(v), dims);
    return new ort.Tensor('float32', v, dims);
  }

  async imageEncoder(pixels: Float32Array): Promise<EncoderOutput> {
    return encoderOutput(await this.run('image_encoder', imageEncoderFeeds(pixels, this.S), 1));
  }

  async maskDecoder(inp: DecoderInput): Promise<DecoderOutput> {
    const { batch: B, numPoints: P } = inp;
    const { h, C } = this;
    const L = 4 * h;
    const pooled: Float32Array<ArrayBuffer>[] = [];
    const s0 = this.rows(inp.featS0, (C / 8) * L * L, B, pooled);
    const s1 = this.rows(inp.featS1, (C / 4) * 4 * h * h, B, pooled);
    const out = await this.run(
      'mask_decoder',
      {
        image_embed: new ort.Tensor('float32', inp.imageEmbed, [B, C, h, h]),
        feat_s0: new ort.Tensor('float32', s0, [B, C / 8, L, L]),
        feat_s1: new ort.Tensor('float32', s1, [B, C / 4, 2 * h, 2 * h]),
        point_coords: new ort.Tensor('float32', inp.coords, [B, P, 2]),
        point_labels: new ort.Tensor('int32', inp.labels, [B, P]),
        mask_input: new ort.Tensor('float32', inp.maskInput, [B, 1, L, L]),
        has_mask_input: this.flag('has_mask_input', inp.hasMask),
      },
      B,
      pooled,
    );
    return {
      lowRes: out.low_res_masks!.data as Float32Array,
      iou: out.iou_scores!.data as Float32Array,
      score: out.object_score_logits!.data as Float32Array,
      pointers: out.object_pointers!.data as Float32Array,
    };
  }

  /**
   * Returns the features ([B, D, h, w] for SAM 2.1, [B, T, D] for EdgeTAM) and the whole
   * position-encoding output (frame-independent: the caller reads row 0).
   */
  async memoryEncoder(
    visionFeat: Float32Array,
    maskLogits: Float32Array,
    score: Float32Array,
    binarize: Float32Array,
  ): Promise<{ features: Float32Array; posEnc: Float32Array }> {
    const B = score.length;
    const { h, C } = this;
    const L = 4 * h;
    const pooled: Float32Array<ArrayBuffer>[] = [];
    const vf = this.rows(visionFeat, C * h * h, B, pooled);
    const out = await this.run(
      'memory_encoder',
      {
        vision_feat: new ort.Tensor('float32', vf, [B, C, h, h]),
        mask_logits: new ort.Tensor('float32', maskLogits, [B, 1, L, L]),
        object_score_logits: new ort.Tensor('float32', score, [B, 1]),
        binarize: this.flag('binarize', binarize),
      },
      B,
      pooled,
    );
    return { features: out.maskmem_features!.data as Float32Array, posEnc: out.maskmem_pos_enc!.data as Float32Array };
  }

  async memoryAttention(
    current: Float32Array,
    currentPos: Float32Array,
    memory: Float32Array,
    memoryPos: Float32Array,
    batch: number,
    M: number,
    numPointerTokens: number,
  ): Promise<Float32Array> {
    const { h, C, D, T } = this;
    const hw = h * h;
    // the graph derives its key rotary layout from M, P and T: a memory cut short would be misread
    if ((M - numPointerTokens) % T !== 0) throw new Error(`memoryAttention: ${M - numPointerTokens} memory tokens are not whole memories of ${T} tokens`);
    const pooled: Float32Array<ArrayBuffer>[] = [];
    const cur = this.rows(current, hw * C, batch, pooled);
    const pos = this.rows(currentPos, hw * C, batch, pooled);
    const out = await this.run(
      'memory_attention',
      {
        current_features: new ort.Tensor('float32', cur, [batch, hw, C]),
        current_pos: new ort.Tensor('float32', pos, [batch, hw, C]),
        memory: new ort.Tensor('float32', memory, [batch, M, D]),
        memory_pos: new ort.Tensor('float32', memoryPos, [batch, M, D]),
        num_object_pointer_tokens: new ort.Tensor('int64', BigInt64Array.from([BigInt(numPointerTokens)]), []),
      },
      batch,
      pooled,
    );
    return out.conditioned_feat!.data as Float32Array;
  }
}

/** The image encoder's input: one frame's pixel_values [1, 3, S, S]. */
export function imageEncoderFeeds(pixels: Float32Array, S: number): Record<string, ort.Tensor> {
  return { pixel_values: new ort.Tensor('float32', pixels, [1, 3, S, S]) };
}

/** The image encoder's outputs by name (the engine's and the pre-encoding thread's runs read them alike). */
export function encoderOutput(out: ort.InferenceSession.OnnxValueMapType): EncoderOutput {
  return {
    featS0: out.feat_s0!.data as Float32Array,
    featS1: out.feat_s1!.data as Float32Array,
    visionFeat: out.vision_feat!.data as Float32Array,
    visionPos: out.vision_pos!.data as Float32Array,
  };
}
