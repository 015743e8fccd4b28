// Generator records in the forms the rest of the app uses: the API's `Proposal` (sorted by area,
// largest first, as the official notebooks draw them, so small masks end on top; the id is the
// position in that order) and the CLI's proposals.json entry, whose `segmentation` is COCO's
// compressed RLE (the official output_mode 'coco_rle') written by the exporter's encoder.
import type { Proposal } from '../../../api/contract';
import { columnMajorCounts, encodeCocoCounts, type CocoRle } from '../../masks/coco-rle';
import { decodeMask, rleBbox } from '../../masks/rle';
import type { AmgMask } from './generator';

/** Largest first; equal areas keep the generator's order. */
export function sortByArea<T extends { area: number }>(masks: readonly T[]): T[] {
  return masks
    .map((m, i) => ({ m, i }))
    .sort((a, b) => b.m.area - a.m.area || a.i - b.i)
    .map((x) => x.m);
}

export function toProposals(masks: readonly AmgMask[]): Proposal[] {
  return sortByArea(masks).map((m, id) => ({
    id,
    rle: m.segmentation,
    area: m.area,
    bbox: m.bbox,
    predictedIou: m.predictedIou,
    stabilityScore: m.stabilityScore,
    pointCoords: m.pointCoords,
    cropBox: m.cropBox,
  }));
}

/** COCO compressed RLE of a row-major mask (pycocotools' string form, column-major runs). */
export function cocoRleOf(m: AmgMask): CocoRle {
  const { h, w } = m.segmentation;
  const bitmap = decodeMask(m.segmentation);
  return { size: [h, w], counts: encodeCocoCounts(columnMajorCounts(bitmap, w, h, rleBbox(m.segmentation))) };
}

/** One proposals.json entry: the official record's keys and values, plus its id and PNG file. */
export interface ProposalJson {
  id: number;
  file: string;
  segmentation: CocoRle;
  area: number;
  bbox: number[];
  predicted_iou: number;
  point_coords: number[][];
  /** null where the official value would be NaN (an empty mask kept with stability filtering off) */
  stability_score: number | null;
  crop_box: number[];
}

export function proposalFileName(id: number): string {
  return `${String(id).padStart(3, '0')}.png`;
}

export function toProposalJson(m: AmgMask, id: number): ProposalJson {
  return {
    id,
    file: proposalFileName(id),
    segmentation: cocoRleOf(m),
    area: m.area,
    bbox: m.bbox,
    predicted_iou: m.predictedIou,
    point_coords: m.pointCoords,
    stability_score: Number.isNaN(m.stabilityScore) ? null : m.stabilityScore,
    crop_box: m.cropBox,
  };
}
