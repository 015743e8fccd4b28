// Whole-track labelling: per object, up to K of its masks spread over the track
// (track-frames.ts), cropped on their frames, embedded in batches, the normalised embeddings
// averaged and scored against the label set. Frames are read once each, in order, whatever
// number of objects use them.
import type { Rle } from '../masks/rle';
import type { RgbFrame } from '../sam2/preprocess';
import type { CropOptions } from './crops';
import { cropForMask } from './crops';
import { throwIfCancelled } from './errors';
import type { ZeroShotLabeller } from './labeller';
import { pickTrackFrames } from './track-frames';
import { meanEmbedding, rankLabels, zeroShotProbs, type LabelSet, type Ranked } from './zero-shot';

export interface TrackMask {
  frame: number;
  score: number;
  area: number;
  rle: Rle;
}

export interface TrackLabelSource {
  /** the object's masks (any order) */
  masks(objectId: number): TrackMask[];
  readFrame(frame: number): Promise<RgbFrame>;
}

export interface TrackLabel {
  objectId: number;
  /** frames whose crops were used, most confident first; empty when the track has no mask */
  frames: number[];
  /** best first; empty when the track has no mask */
  ranked: Ranked[];
}

export interface LabelTracksOptions {
  framesPerTrack: number;
  crop?: Partial<CropOptions>;
  signal?: AbortSignal;
  /** crops embedded so far of the total */
  onProgress?: (done: number, total: number) => void;
}

export async function labelTracks(
  labeller: ZeroShotLabeller,
  set: LabelSet,
  objectIds: readonly number[],
  src: TrackLabelSource,
  o: LabelTracksOptions,
): Promise<TrackLabel[]> {
  const picks = new Map<number, { frame: number; rle: Rle }[]>();
  const byFrame = new Map<number, { objectId: number; slot: number }[]>();
  for (const id of objectIds) {
    const masks = src.masks(id);
    const chosen = pickTrackFrames(masks, o.framesPerTrack);
    const byF = new Map(masks.map((m) => [m.frame, m]));
    picks.set(
      id,
      chosen.map((c) => ({ frame: c.frame, rle: byF.get(c.frame)!.rle })),
    );
    chosen.forEach((c, slot) => {
      const list = byFrame.get(c.frame) ?? [];
      list.push({ objectId: id, slot });
      byFrame.set(c.frame, list);
    });
  }
  const text = await labeller.labelEmbeddings(set, o.signal);
  const dim = labeller.model.dim;
  const total = [...picks.values()].reduce((a, p) => a + p.length, 0);
  let done = 0;
  // crops of a few frames at a time: memory stays bounded by the batch, not the project
  const pending: { objectId: number; slot: number; crop: RgbFrame }[] = [];
  const embeds = new Map<number, Float32Array[]>(objectIds.map((id) => [id, []]));
  const flush = async () => {
    if (!pending.length) return;
    const emb = await labeller.imageEmbeddings(
      pending.map((p) => p.crop),
      o.signal,
    );
    pending.forEach((p, i) => embeds.get(p.objectId)!.push(emb.slice(i * dim, (i + 1) * dim)));
    done += pending.length;
    pending.length = 0;
    o.onProgress?.(done, total);
  };
  for (const frame of [...byFrame.keys()].sort((a, b) => a - b)) {
    throwIfCancelled(o.signal, 'labelling');
    const rgb = await src.readFrame(frame);
    for (const { objectId, slot } of byFrame.get(frame)!) {
      const crop = cropForMask(rgb, picks.get(objectId)![slot]!.rle, o.crop);
      if (crop) pending.push({ objectId, slot, crop });
    }
    if (pending.length >= labeller.model.batchSize) await flush();
  }
  await flush();
  return objectIds.map((objectId) => {
    const list = embeds.get(objectId)!;
    if (!list.length) return { objectId, frames: [], ranked: [] };
    const all = new Float32Array(list.length * dim);
    list.forEach((e, i) => all.set(e, i * dim));
    const probs = zeroShotProbs(meanEmbedding(all, dim), text, dim, labeller.model.logitScale);
    return { objectId, frames: picks.get(objectId)!.map((p) => p.frame), ranked: rankLabels(probs, set.labels) };
  });
}
