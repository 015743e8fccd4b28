// A loaded CLIP: both towers as onnxruntime sessions, the tokenizer and the preprocessing config.
// Embeds images (pixel_values batches) and texts (prompt batches); everything above it is pure
// (zero-shot.ts). onnxruntime's run blocks its thread: callers in the app run this in a worker.
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { graphPath, readClipFolder, type ClipFolder, type ClipVariant } from './clip-folder';
import { LabelsError, throwIfCancelled } from './errors';
import { floatsToHalf, halfToFloats } from './fp16';
import { pixelValues } from './preprocess';
import { checkTower, type TensorMeta, type TowerIo } from './signatures';
import { ClipTokenizer } from './tokenize';
import type { RgbFrame } from '../sam2/preprocess';

export interface ClipOpenOptions {
  variant?: ClipVariant;
  /** intra-op threads per session (default: number of cores) */
  threads?: number;
  /** images per vision run (default 8) */
  batchSize?: number;
}

export class ClipModel {
  private constructor(
    readonly folder: ClipFolder,
    readonly variant: ClipVariant,
    readonly tokenizer: ClipTokenizer,
    private readonly vision: ort.InferenceSession,
    private readonly text: ort.InferenceSession,
    private readonly visionIo: TowerIo,
    private readonly textIo: TowerIo,
    /** embedding width, the same for both towers (checked on open) */
    readonly dim: number,
    readonly batchSize: number,
  ) {}

  get logitScale(): number {
    return this.folder.logitScale;
  }

  /** Opens a CLIP folder (absolute path) and checks it: graph signatures, tokenizer, embedding sizes. */
  static async open(dir: string, o: ClipOpenOptions = {}): Promise<ClipModel> {
    const folder = readClipFolder(dir);
    const variant = o.variant ?? folder.variants[0]!;
    if (!folder.variants.includes(variant)) {
      throw new LabelsError('CLIP_VARIANT', `variant ${variant} is not in ${dir} (present: ${folder.variants.join(', ')})`);
    }
    const tokenizer = ClipTokenizer.load(folder.tokenizerJson, folder.tokenizerConfig);
    const threads = Math.max(1, Math.floor(o.threads ?? availableParallelism()));
    const opened: ort.InferenceSession[] = [];
    const openTower = async (tower: 'vision' | 'text') => {
      const path = graphPath(dir, tower, variant);
      const file = path.slice(dir.length + 1);
      let s: ort.InferenceSession;
      try {
        s = await ort.InferenceSession.create(path, { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, logSeverityLevel: 3 });
      } catch (e) {
        throw new LabelsError('CLIP_GRAPH_LOAD', `${file} could not be loaded: ${String((e as Error).message ?? e).split('\n')[0]}`, { file });
      }
      opened.push(s);
      return { s, io: checkTower(tower, file, s.inputMetadata as unknown as TensorMeta[], s.outputMetadata as unknown as TensorMeta[]) };
    };
    try {
      const v = await openTower('vision');
      const t = await openTower('text');
      const size = folder.preprocess.cropWidth;
      const m = new ClipModel(folder, variant, tokenizer, v.s, t.s, v.io, t.io, 0, Math.max(1, o.batchSize ?? 8));
      // measured, not trusted: a symbolic output dim, or a config that disagrees with the graphs
      const img = await m.runVision(new Float32Array(3 * size * size), 1);
      const txt = await m.runText(['a photo of a cat.']);
      const vd = img.length;
      const td = txt.length;
      if (vd !== td) throw new LabelsError('CLIP_EMBED_MISMATCH', `the towers' embeddings differ in size: image_embeds has ${vd}, text_embeds has ${td}`);
      if (folder.projectionDim !== null && folder.projectionDim !== vd) {
        throw new LabelsError('CLIP_EMBED_MISMATCH', `config.json says projection_dim ${folder.projectionDim} but the graphs' embeddings have ${vd}`, {
          file: 'config.json',
        });
      }
      return new ClipModel(folder, variant, tokenizer, v.s, t.s, v.io, t.io, vd, m.batchSize);
    } catch (e) {
      await Promise.all(opened.map((s) => s.release().catch(() => undefined)));
      throw e;
    }
  }

  private async runVision(pixels: Float32Array, n: number): Promise<Float32Array> {
    const size = this.folder.preprocess.cropWidth;
    const dims = [n, 3, size, size];
    const input = this.visionIo.inputType === 'float16' ? new ort.Tensor('float16', floatsToHalf(pixels), dims) : new ort.Tensor('float32', pixels, dims);
    const out = await this.vision.run({ [this.visionIo.input]: input }, [this.visionIo.output]);
    return readFloats(out[this.visionIo.output]!);
  }

  private async runText(prompts: readonly string[]): Promise<Float32Array> {
    const b = this.tokenizer.batch(prompts);
    const dims = [b.rows, b.length];
    const int32 = this.textIo.inputType === 'int32';
    const feeds: Record<string, ort.Tensor> = {
      [this.textIo.input]: int32 ? new ort.Tensor('int32', Int32Array.from(b.ids, Number), dims) : new ort.Tensor('int64', b.ids, dims),
    };
    if (this.textIo.attentionMask)
      feeds[this.textIo.attentionMask] = int32 ? new ort.Tensor('int32', Int32Array.from(b.mask, Number), dims) : new ort.Tensor('int64', b.mask, dims);
    const out = await this.text.run(feeds, [this.textIo.output]);
    return readFloats(out[this.textIo.output]!);
  }

  /** Unnormalised image_embeds [n, dim] for ready pixel_values [n, 3, S, S], in batches. */
  async embedPixels(pixels: Float32Array, n: number, signal?: AbortSignal): Promise<Float32Array> {
    const per = pixels.length / n;
    const out = new Float32Array(n * this.dim);
    for (let i = 0; i < n; i += this.batchSize) {
      throwIfCancelled(signal, 'image embedding');
      const k = Math.min(this.batchSize, n - i);
      out.set(await this.runVision(pixels.subarray(i * per, (i + k) * per), k), i * this.dim);
    }
    return out;
  }

  /** Unnormalised image_embeds [images.length, dim], preprocessed the reference's way. */
  async embedImages(images: readonly RgbFrame[], signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<Float32Array> {
    const size = this.folder.preprocess.cropWidth;
    const per = 3 * size * size;
    const out = new Float32Array(images.length * this.dim);
    for (let i = 0; i < images.length; i += this.batchSize) {
      throwIfCancelled(signal, 'image embedding');
      const batch = images.slice(i, i + this.batchSize);
      const px = new Float32Array(batch.length * per);
      batch.forEach((img, j) => pixelValues(img, this.folder.preprocess, px.subarray(j * per, (j + 1) * per)));
      out.set(await this.runVision(px, batch.length), i * this.dim);
      onProgress?.(i + batch.length, images.length);
    }
    return out;
  }

  /** Unnormalised text_embeds [prompts.length, dim]. */
  async embedTexts(prompts: readonly string[], signal?: AbortSignal): Promise<Float32Array> {
    const out = new Float32Array(prompts.length * this.dim);
    const step = 64;
    for (let i = 0; i < prompts.length; i += step) {
      throwIfCancelled(signal, 'text embedding');
      out.set(await this.runText(prompts.slice(i, i + step)), i * this.dim);
    }
    return out;
  }

  async dispose(): Promise<void> {
    await Promise.all([this.vision.release().catch(() => undefined), this.text.release().catch(() => undefined)]);
  }
}

function readFloats(t: ort.Tensor): Float32Array {
  if (t.type === 'float16') return halfToFloats(t.data as Uint16Array);
  return Float32Array.from(t.data as Float32Array);
}
