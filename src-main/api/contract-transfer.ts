// The part of the API contract that moves masks in and out: export and import requests and
// reports, and segment everything's request and proposals. Plain data; contract.ts re-exports it.
import type { Rle } from './contract';

export type ExportFormat = 'overlay' | 'png' | 'palette' | 'coco' | 'yolo' | 'mots';

export interface ExportRequest {
  formats: ExportFormat[];
  outDir: string;
  /** inclusive frame range */
  frames?: [number, number];
  objectIds?: number[];
  overlay?: { perObjectColors?: boolean; outlines?: boolean; opacity?: number };
  /** binary PNGs: skipEmpty writes no file for a frame where the object has no mask (default: an all-black one) */
  png?: { skipEmpty?: boolean };
}

export type ImportFormat = 'png' | 'palette' | 'coco' | 'yolo' | 'mots';

/** annotations.import: masks made elsewhere (or exported by Maskline) into the open project */
export interface ImportAnnotationsRequest {
  format: ImportFormat;
  /** absolute path of the file or folder (or an export folder holding it) */
  path: string;
  /** prompts (default): mask prompts SAM 2 tracks from; fixed: stored as they are, never re-tracked */
  as?: 'prompts' | 'fixed';
  /** with prompts: which of each object's frames become prompts (default all) */
  pick?: 'all' | 'first' | { every: number };
}

export interface ImportReport {
  format: ImportFormat;
  use: 'prompts' | 'fixed';
  objects: { id: number; name: string; label: string; created: boolean; masks: number }[];
  /** masks stored (as prompts or fixed) */
  stored: number;
  /** masks read but left out by the frame choice */
  skipped: number;
  /** COCO images whose names matched no frame (their annotations were skipped) */
  unmatchedImages: string[];
}

export interface SegmentEverythingRequest {
  frame: number;
  pointsPerSide?: number;
  pointsPerBatch?: number;
  predIouThresh?: number;
  stabilityScoreThresh?: number;
  boxNmsThresh?: number;
  cropNLayers?: number;
  minMaskRegionArea?: number;
  useM2m?: boolean;
}

export type { AmgFilter, AmgFunnel, AmgFunnelStage, AmgStats, SegmentJobResult } from './segment-types';

export interface Proposal {
  id: number;
  rle: Rle;
  area: number;
  bbox: [number, number, number, number];
  predictedIou: number;
  stabilityScore: number;
  pointCoords: [number, number][];
  cropBox: [number, number, number, number];
}
