// What an export reads and what it returns. The writers see only `ExportSource`, so they can be
// fed from the project store (store-source.ts) or from anything else that knows its masks.
import type { ExportFormat, ObjectInfo, Rle, VideoInfo } from '../../api/contract';
import { CodedError } from '../../api/errors';

export type ExportVideo = Pick<VideoInfo, 'path' | 'name' | 'width' | 'height' | 'fps' | 'frames' | 'hasAudio'> & {
  /** ffprobe index of the video stream the project uses (default: the first video stream) */
  streamIndex?: number;
};

export type ExportObject = Pick<ObjectInfo, 'id' | 'name' | 'label' | 'color'>;

export interface ExportMask {
  objectId: number;
  /** row-major, the video's size */
  rle: Rle;
  /** object score logit: breaks ties where masks overlap (higher wins) */
  score: number;
}

export interface ExportSource {
  video: ExportVideo;
  /** every object of the project, exported or not (class numbering is built from all of them) */
  objects: ExportObject[];
  /** the project's label set (docs/labels.md): class numbering starts with it, in its order */
  labelSet?: string[];
  /** the masks stored for one frame (any objects, any order; none → empty) */
  masksAt(frame: number): ExportMask[];
}

/** 'export' while writing (done = frames every requested format has finished), 'finish' once renamed into place */
export type ExportPhase = 'export' | 'finish';

export interface ExportProgress {
  phase: ExportPhase;
  done: number;
  total: number;
  unit: 'frames';
}

export interface ExportResult {
  /** final paths of what was written (folders for the per-frame formats) */
  files: string[];
  /** files inside those folders plus the single files */
  fileCount: number;
  warnings: string[];
  /** frames in the exported range */
  frames: number;
  durationMs: number;
}

export type ExportErrorCode = 'EXPORT_BAD_REQUEST' | 'EXPORT_DESTINATION' | 'EXPORT_CONFLICT' | 'EXPORT_FAILED' | 'CANCELLED';

/** details are plain data for the API (EXPORT_CONFLICT: `{ dir, names }`) */
export class ExportError extends CodedError<ExportErrorCode, Record<string, unknown>> {}

export const FORMATS: readonly ExportFormat[] = ['overlay', 'png', 'palette', 'coco', 'yolo', 'mots'];

/** Names inside the output folder, as the CLI documents them. */
export const OUTPUT_NAMES: Record<ExportFormat, string> = {
  overlay: 'overlay.mp4',
  png: 'masks',
  palette: 'palette',
  coco: 'coco.json',
  yolo: 'yolo',
  mots: 'mots.txt',
};

/** Every top-level name the formats write (the names an export may replace). */
export function outputNames(formats: readonly ExportFormat[]): string[] {
  return formats.flatMap((f) => (f === 'mots' ? [OUTPUT_NAMES.mots, MOTS_CLASSES_FILE] : [OUTPUT_NAMES[f]]));
}

export const MOTS_CLASSES_FILE = 'mots-classes.txt';

/** Frame file stem: `<frame:05d>`, the video's 0-based frame index. */
export function frameStem(frame: number): string {
  return String(frame).padStart(5, '0');
}
