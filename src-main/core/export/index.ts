// Public entry of the export module: `runExport` writes any of the formats of `ExportRequest`
// (overlay MP4, per-object PNGs, DAVIS palette PNGs, COCO JSON, YOLO-seg txt, MOTS txt) as a
// cancellable job with progress; `storeExportSource` feeds it from a project store.
export { runExport, type RunExportOptions } from './run-export';
export { exportJob, EXPORT_JOB_OPTIONS } from './export-job';
export { storeExportSource } from './store-source';
export { planExport, DEFAULT_OVERLAY_COLOR, DEFAULT_OVERLAY_OPACITY, MAX_PALETTE_OBJECT_ID, type ExportPlan } from './plan';
export {
  ExportError,
  FORMATS,
  OUTPUT_NAMES,
  frameStem,
  type ExportErrorCode,
  type ExportMask,
  type ExportObject,
  type ExportProgress,
  type ExportResult,
  type ExportSource,
  type ExportVideo,
} from './types';
export { encodeCocoCounts, decodeCocoCounts, cocoRleToBitmap, columnMajorCounts, type CocoRle } from '../masks/coco-rle';
export { DAVIS_PALETTE } from './davis-palette';
export type { OutputFs, FileWriter } from './output-fs';
export type { SpawnFn } from './overlay-encode';
