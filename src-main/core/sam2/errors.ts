// Errors of the SAM 2 engine. Every error carries a stable `code` so callers (services, the
// worker protocol, the CLI) can react without parsing messages, and a message that names the
// argument or file and what is wrong.
import { CodedError } from '../../api/errors';

export type PackErrorCode =
  | 'PACK_MISSING'
  | 'MANIFEST_INVALID'
  | 'FORMAT_VERSION'
  | 'FILE_MISSING'
  | 'FILE_UNVERIFIED'
  | 'SIZE_MISMATCH'
  | 'SHA256_MISMATCH'
  | 'PARAM_MISSING'
  | 'PARAM_INVALID'
  | 'GRAPH_LOAD'
  | 'GRAPH_SIGNATURE';

export class PackError extends CodedError<PackErrorCode, { file: string }> {
  constructor(
    code: PackErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(code, message, file === undefined ? undefined : { file });
  }
}

export type EngineErrorCode =
  | 'BAD_ARGUMENT'
  | 'BAD_POINTS'
  | 'BAD_LABELS'
  | 'BAD_BOX'
  | 'BAD_MASK'
  | 'BAD_FRAME'
  | 'UNKNOWN_OBJECT'
  | 'NO_PROMPTS'
  | 'NO_CANDIDATES'
  | 'BUSY'
  | 'CANCELLED'
  | 'FRAME_SOURCE'
  | 'WORKER'
  | 'CLOSED';

export class EngineError extends CodedError<EngineErrorCode> {}

/** Plain-data form of an error, as it crosses the worker boundary and the API. */
export interface ErrorData {
  code: string;
  message: string;
  details?: unknown;
}

export function errorToData(err: unknown): ErrorData {
  if (err instanceof PackError) return { code: err.code, message: err.message, details: err.file ? { file: err.file } : undefined };
  if (err instanceof EngineError) return { code: err.code, message: err.message, details: err.details };
  if (err instanceof Error) return { code: 'INTERNAL', message: err.message };
  return { code: 'INTERNAL', message: String(err) };
}
