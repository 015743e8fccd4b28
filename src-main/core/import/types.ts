// What the annotation readers produce and what an import reports (docs/workflow.md, "Import").
import type { ImportFormat, ImportReport, Rle } from '../../api/contract';
import { CodedError } from '../../api/errors';

export type { ImportFormat, ImportReport };
export const IMPORT_FORMATS: readonly ImportFormat[] = ['png', 'palette', 'coco', 'yolo', 'mots'];

/** prompts: SAM 2 mask prompts that tracking starts from; fixed: stored as they are, never re-tracked */
export type ImportUse = 'prompts' | 'fixed';

/** Which of an object's imported frames become prompts: all, only its first, or every Nth (from its first). */
export type FramePick = 'all' | 'first' | { every: number };

export interface ImportRequest {
  format: ImportFormat;
  /** a file or folder (absolute; the caller resolves it) */
  path: string;
  use: ImportUse;
  pick: FramePick;
}

/** An object as the annotations name it: mapped onto a project object by id, else by name, else created. */
export interface SourceObject {
  key: string;
  id: number | null;
  name: string | null;
  /** category name: becomes the object's label */
  label: string | null;
}

export interface SourceMask {
  key: string;
  frame: number;
  rle: Rle;
  /** file or entry it came from, for messages */
  entry: string;
}

export interface ReadResult {
  objects: SourceObject[];
  masks: SourceMask[];
  /** images of a COCO file whose names matched no frame (their annotations were skipped) */
  unmatchedImages: string[];
}

export interface VideoShape {
  width: number;
  height: number;
  frames: number;
}

export type ImportErrorCode = 'IMPORT_BAD_INPUT' | 'FILE_NOT_FOUND' | 'LOCKED' | 'CANCELLED';

/** A refused import: the message names the file or entry; nothing was written. */
export class ImportError extends CodedError<ImportErrorCode, { entry?: string }> {}

export const bad = (entry: string, why: string): ImportError => new ImportError('IMPORT_BAD_INPUT', `${entry}: ${why}`, { entry });
