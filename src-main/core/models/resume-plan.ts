// What a download does with an HTTP response, given the byte offset it asked for: pure
// decisions, table-tested (Range honoured, ignored, refused; sizes that contradict the catalog).

export interface ContentRange {
  start: number;
  end: number;
  /** null for "bytes a-b/*" */
  total: number | null;
}

/** Parses "bytes 100-199/1000" (RFC 9110); null if malformed. */
export function parseContentRange(h: string | undefined): ContentRange | null {
  if (!h) return null;
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/i.exec(h.trim());
  if (!m) return null;
  const start = Number(m[1]);
  const end = Number(m[2]);
  const total = m[3] === '*' ? null : Number(m[3]);
  if (end < start || (total !== null && end >= total)) return null;
  return { start, end, total };
}

export type ResponsePlan =
  /** write the body at `offset` (0 = fresh file) */
  | { kind: 'write'; offset: number }
  /** the server ignored Range and sent the whole file: truncate, then write the body from 0 */
  | { kind: 'restart-with-body' }
  /** discard the body and ask again from byte 0 */
  | { kind: 'request-from-zero'; why: string }
  /** transient: discard the body, back off, ask again */
  | { kind: 'retry'; why: string }
  | { kind: 'fail'; code: 'HTTP_STATUS' | 'SIZE_MISMATCH'; why: string };

export interface ResponseFacts {
  status: number;
  /** the offset the request asked for (0 = no Range header) */
  offset: number;
  expectedBytes: number;
  contentRange?: string;
  contentLength?: number | null;
}

export function planResponse(r: ResponseFacts): ResponsePlan {
  const { status, offset, expectedBytes } = r;
  if (status === 206) {
    const cr = parseContentRange(r.contentRange);
    if (!cr) return { kind: 'request-from-zero', why: `206 with an unusable Content-Range (${r.contentRange ?? 'none'})` };
    if (cr.total !== null && cr.total !== expectedBytes) {
      return { kind: 'fail', code: 'SIZE_MISMATCH', why: `the server's file has ${cr.total} bytes, the catalog says ${expectedBytes}` };
    }
    if (cr.start !== offset) return { kind: 'request-from-zero', why: `asked for byte ${offset}, got a range starting at ${cr.start}` };
    return { kind: 'write', offset };
  }
  if (status === 200) {
    if (r.contentLength != null && r.contentLength !== expectedBytes) {
      return { kind: 'fail', code: 'SIZE_MISMATCH', why: `the server's file has ${r.contentLength} bytes, the catalog says ${expectedBytes}` };
    }
    return offset > 0 ? { kind: 'restart-with-body' } : { kind: 'write', offset: 0 };
  }
  if (status === 416) return { kind: 'request-from-zero', why: `the server refused the range from byte ${offset}` };
  if (status === 408 || status === 429 || (status >= 500 && status <= 599)) return { kind: 'retry', why: `HTTP ${status}` };
  return { kind: 'fail', code: 'HTTP_STATUS', why: `HTTP ${status}` };
}

/** Exponential backoff with a cap: attempt 1 waits `base`, then 2x, 4x, ... */
export function backoffDelay(attempt: number, baseMs: number, capMs = 8000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
