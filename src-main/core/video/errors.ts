// One error class for everything that can go wrong with a video, with a code the UI and the
// API can switch on and a message a user understands (it names the file and what to do).
import type { ApiError } from '../../api/contract';
import { CodedError } from '../../api/errors';

export type VideoErrorCode =
  | 'FILE_NOT_FOUND'
  | 'NOT_A_FILE'
  | 'NOT_READABLE'
  | 'EMPTY_FILE'
  | 'NOT_A_VIDEO'
  | 'NO_VIDEO_STREAM'
  | 'TRUNCATED'
  | 'UNSUPPORTED_CODEC'
  | 'TOO_LARGE'
  | 'CACHE_NOT_WRITABLE'
  | 'DISK_FULL'
  | 'FFMPEG_MISSING'
  | 'FFMPEG_FAILED'
  | 'EXTRACTION_BUSY'
  | 'CANCELLED';

export class VideoError extends CodedError<VideoErrorCode, Record<string, unknown>> {}

export function isVideoError(e: unknown, code?: VideoErrorCode): e is VideoError {
  return e instanceof VideoError && (code === undefined || e.code === code);
}

/** Any error as plain data for the API: VideoErrors keep their code, others keep theirs or become INTERNAL. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof VideoError) return { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) };
  const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : 'INTERNAL';
  return { code, message: e instanceof Error ? e.message : String(e) };
}

export function cancelledError(what: string): VideoError {
  return new VideoError('CANCELLED', `${what} was cancelled.`);
}

/** Map a file-system error met while writing the frame cache to one a user can act on. */
export function cacheWriteError(err: unknown, dir: string): VideoError {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new VideoError('DISK_FULL', `The disk holding the frame cache (${dir}) is full. Free some space or choose another cache folder.`, { dir });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR' || code === 'EEXIST') {
    return new VideoError('CACHE_NOT_WRITABLE', `The frame cache folder ${dir} cannot be written (${code}). Choose a folder you can write to.`, {
      dir,
      errno: code,
    });
  }
  return new VideoError('CACHE_NOT_WRITABLE', `The frame cache folder ${dir} cannot be written: ${(err as Error)?.message ?? err}`, { dir, errno: code });
}
