// Errors of model-pack management (catalog, download, import, install). Each carries a stable
// code for callers and a message that names the file, URL or argument and what is wrong.
import { PackError, type PackErrorCode } from '../sam2/errors';
import { CodedError } from '../../api/errors';

export type ModelsErrorCode =
  | 'CATALOG_INVALID'
  | 'CATALOG_UNKNOWN_ID'
  | 'PACK_UNAVAILABLE'
  | 'PACK_FORMAT'
  | 'HTTP_STATUS'
  | 'NETWORK'
  | 'SIZE_MISMATCH'
  | 'SHA256_MISMATCH'
  | 'CANCELLED'
  | 'BUSY'
  | 'IMPORT_SOURCE'
  | 'INSTALL'
  /** no label model of that id is installed */
  | 'LABEL_MODEL_NOT_FOUND'
  /** a label-model folder holds files the app did not install: it is not removed */
  | 'LABEL_MODEL_FOREIGN'
  /** the downloaded or imported folder is not a valid pack: the engine's own code */
  | PackErrorCode;

export interface ModelsErrorDetails {
  file?: string;
  url?: string;
  status?: number;
  /** the folder an interrupted download keeps its partial files in (resumable) */
  staging?: string;
}

export class ModelsError extends CodedError<ModelsErrorCode, ModelsErrorDetails> {
  declare readonly details: ModelsErrorDetails;
  constructor(code: ModelsErrorCode, message: string, details: ModelsErrorDetails = {}) {
    super(code, message, details);
  }

  /** Plain data, as errors cross the API. */
  toData(): { code: string; message: string; details?: unknown } {
    return { code: this.code, message: this.message, details: Object.keys(this.details).length ? this.details : undefined };
  }
}

/** A validation failure of the engine, re-worded for the operation that hit it. */
export function fromPackError(err: PackError, context: string): ModelsError {
  return new ModelsError(err.code, `${context}: ${err.message}`, err.file ? { file: err.file } : {});
}

export function cancelled(what: string): ModelsError {
  return new ModelsError('CANCELLED', `${what} was cancelled`);
}

export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw cancelled(what);
}
