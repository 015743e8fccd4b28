// Which failures are worth another attempt. A video that cannot be decoded, a bad prompt or an
// output folder that is not ours fails the same way every time: such a job fails at once
// (BullMQ's UnrecoverableError), everything else (a worker's engine crash, a full disk that may
// be freed, Redis hiccups) gets the queue's attempts with backoff.
const PERMANENT = new Set([
  // the video (core/video/errors.ts)
  'FILE_NOT_FOUND',
  'NOT_A_FILE',
  'NOT_READABLE',
  'EMPTY_FILE',
  'NOT_A_VIDEO',
  'NO_VIDEO_STREAM',
  'TRUNCATED',
  'UNSUPPORTED_CODEC',
  'TOO_LARGE',
  'FFMPEG_FAILED',
  // the job spec
  'BAD_FRAME',
  'BAD_ARGS',
  'BAD_PROMPTS_FILE',
  'NO_PROPOSALS',
  'NO_MODEL',
  'PACK_NOT_FOUND',
  'PACK_INVALID',
  'VIDEO_CHANGED',
  // the output
  'OUT_NOT_OURS',
  'OUT_OUTSIDE_ROOT',
  'EXPORT_CONFLICT',
  // the user's decision
  'CANCELLED',
]);

export function isPermanentFailure(code: string): boolean {
  return PERMANENT.has(code);
}

/** The reason text a failed job carries: "CODE: message", read back by `batch status`. */
export function failureReason(code: string, message: string): string {
  return `${code}: ${message}`;
}

/** The code of a failure reason written by failureReason (null for a reason BullMQ wrote itself, e.g. a stall). */
export function codeOfReason(reason: string | undefined | null): string | null {
  const m = /^([A-Z][A-Z0-9_]*): /.exec(reason ?? '');
  return m ? m[1]! : null;
}
