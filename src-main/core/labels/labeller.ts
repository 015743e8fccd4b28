// Zero-shot labelling over a loaded CLIP: text embeddings per label set (computed once per set and
// kept), images and mask crops scored against them, and whole tracks scored from the mean of
// their crops' normalised embeddings.
import type { Rle } from '../masks/rle';
import type { RgbFrame } from '../sam2/preprocess';
import type { ClipModel } from './clip-model';
import { cropForMask, type CropOptions } from './crops';
import { l2NormalizeRows, labelEmbeddings, meanEmbedding, promptsFor, rankLabels, zeroShotProbs, type LabelSet, type Ranked } from './zero-shot';

export interface Scored {
  /** probabilities over set.labels */
  probs: Float32Array;
  /** best first */
  ranked: Ranked[];
}

export class ZeroShotLabeller {
  private readonly textCache = new Map<string, Float32Array>();

  constructor(readonly model: ClipModel) {}

  /** Unit text embedding per label [L, dim]; cached per label set (labels + templates). */
  async labelEmbeddings(set: LabelSet, signal?: AbortSignal): Promise<Float32Array> {
    const key = JSON.stringify([set.labels, set.templates]);
    const hit = this.textCache.get(key);
    if (hit) return hit;
    const raw = await this.model.embedTexts(promptsFor(set), signal);
    const emb = labelEmbeddings(raw, this.model.dim, set.templates.length);
    this.textCache.set(key, emb);
    return emb;
  }

  /** Unit image embeddings [n, dim]. */
  async imageEmbeddings(images: readonly RgbFrame[], signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<Float32Array> {
    return l2NormalizeRows(await this.model.embedImages(images, signal, onProgress), this.model.dim);
  }

  /** Scores unit image embeddings [n, dim] against a label set. */
  async score(imageEmbeds: Float32Array, set: LabelSet, signal?: AbortSignal): Promise<Scored[]> {
    const text = await this.labelEmbeddings(set, signal);
    const probs = zeroShotProbs(imageEmbeds, text, this.model.dim, this.model.logitScale);
    const L = set.labels.length;
    const out: Scored[] = [];
    for (let i = 0; i < imageEmbeds.length / this.model.dim; i++) {
      const p = probs.slice(i * L, (i + 1) * L);
      out.push({ probs: p, ranked: rankLabels(p, set.labels) });
    }
    return out;
  }

  async classifyImages(images: readonly RgbFrame[], set: LabelSet, signal?: AbortSignal): Promise<Scored[]> {
    return this.score(await this.imageEmbeddings(images, signal), set, signal);
  }

  /** One score per mask on one frame (null for an empty mask): the tutorial's crop-and-classify. */
  async classifyMasks(
    frame: RgbFrame,
    masks: readonly Rle[],
    set: LabelSet,
    crop: Partial<CropOptions> = {},
    signal?: AbortSignal,
    onProgress?: (done: number, total: number) => void,
  ): Promise<(Scored | null)[]> {
    const crops = masks.map((m) => cropForMask(frame, m, crop));
    const present = crops.filter((c): c is RgbFrame => c !== null);
    const scored = present.length ? await this.score(await this.imageEmbeddings(present, signal, onProgress), set, signal) : [];
    let k = 0;
    return crops.map((c) => (c ? scored[k++]! : null));
  }

  /** One score for a whole track from its crops (see track-frames.ts for which frames). */
  async classifyTrack(crops: readonly RgbFrame[], set: LabelSet, signal?: AbortSignal): Promise<Scored> {
    const emb = await this.imageEmbeddings(crops, signal);
    return (await this.score(meanEmbedding(emb, this.model.dim), set, signal))[0]!;
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
