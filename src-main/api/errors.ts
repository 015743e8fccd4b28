// Errors cross every transport as plain data ({ code, message, details? }).
// Services and adapters throw ApiCallError; every boundary turns whatever was thrown into
// an ApiError with toApiError, and clients turn an { ok: false } envelope back into an
// ApiCallError so callers can `catch` and read `.code`.
import type { ApiError, ApiResult } from './contract';

/**
 * The one base of every error that carries a stable code: the module errors of core (VideoError,
 * EngineError, StoreError, ExportError, …) narrow `code` to their own union and `details` to
 * their own shape, and every boundary reads { code, message, details } the same way. Pure (no
 * Node, no DOM), so core, services, adapters and the renderer share it.
 */
export class CodedError<C extends string = string, D = unknown> extends Error {
  constructor(
    readonly code: C,
    message: string,
    readonly details?: D,
  ) {
    super(message);
    // the subclass's own name ("VideoError"), for logs and stack traces
    this.name = new.target.name;
  }
}

/** What services and adapters throw for API-level failures (BAD_ARGS, NO_PROJECT, …). */
export class ApiCallError extends CodedError<string, unknown> {}

/** Error codes the API layer itself produces (core modules add their own: FILE_NOT_FOUND, NOT_A_VIDEO, ...). */
export const API_CODES = {
  badArgs: 'BAD_ARGS',
  unknownMethod: 'UNKNOWN_METHOD',
  noProject: 'NO_PROJECT',
  internal: 'INTERNAL',
  forbidden: 'FORBIDDEN',
  transport: 'TRANSPORT',
} as const;

function isCode(v: unknown): v is string {
  return typeof v === 'string' && /^[A-Z][A-Z0-9_]*$/.test(v);
}

/**
 * Any thrown value as plain data. Errors that carry an upper-case `code` keep it (they are
 * expected failures the UI explains); anything else is INTERNAL with its message, and
 * `unexpected` is true so the caller logs it.
 */
export function toApiError(err: unknown): { error: ApiError; unexpected: boolean } {
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown; details?: unknown };
    const message = typeof e.message === 'string' && e.message ? e.message : String(err);
    if (isCode(e.code)) {
      const error: ApiError = { code: e.code, message };
      if (e.details !== undefined && isPlainData(e.details)) error.details = e.details;
      return { error, unexpected: false };
    }
    return { error: { code: API_CODES.internal, message }, unexpected: true };
  }
  return { error: { code: API_CODES.internal, message: String(err) }, unexpected: true };
}

/** details must survive structured clone and JSON alike: only JSON-shaped values pass. */
function isPlainData(v: unknown, depth = 0): boolean {
  if (depth > 8) return false;
  if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) return true;
  if (Array.isArray(v)) return v.every((x) => isPlainData(x, depth + 1));
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.values(v as object).every((x) => isPlainData(x, depth + 1));
  }
  return false;
}

export function okResult<T>(value: T): ApiResult<T> {
  return { ok: true, value };
}

export function errorResult(err: unknown): ApiResult<never> {
  return { ok: false, error: toApiError(err).error };
}

/** Client side: unwrap an envelope, throwing its error as an ApiCallError. */
export function unwrapResult<T>(r: ApiResult<T>): T {
  if (r.ok) return r.value;
  throw new ApiCallError(r.error.code, r.error.message, r.error.details);
}
