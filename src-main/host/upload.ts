// POST /upload?name=…: a browser user without a shared file system sends the video's bytes;
// it lands in <dataDir>/uploads/<random>/<clean name> and the answer is that path, which
// the renderer then opens like any other. Streamed to disk (never buffered), with a size
// limit, and a failed or oversized upload leaves nothing behind.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { ApiCallError } from '../api/errors';
import { whyNotWritable } from '../services/data-layout';

export const DEFAULT_MAX_UPLOAD_BYTES = 16 * 2 ** 30;

/**
 * A file name safe on every platform that still reads like the original: letters and
 * digits of any script, space, dot, dash, underscore; the rest becomes "_". Never empty,
 * never hidden, never "." or "..", at most 120 characters (keeping the extension).
 */
export function sanitizeUploadName(raw: string | null | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  let name = base
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} ._-]/gu, '_')
    .replace(/\s+/g, ' ')
    .trim();
  name = name.replace(/^[.\s]+/, '');
  if (!name || /^_*$/.test(name.replace(/\.[^.]*$/, ''))) name = `upload${/\.[\p{L}\p{N}]{1,8}$/u.exec(name)?.[0] ?? ''}`;
  if (name.length > 120) {
    const ext = /\.[\p{L}\p{N}]{1,8}$/u.exec(name)?.[0] ?? '';
    name = name.slice(0, 120 - ext.length) + ext;
  }
  return name;
}

export class UploadError extends ApiCallError {
  constructor(
    code: string,
    message: string,
    readonly status: number,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details);
  }
}

/** Stream the request body to a new file; resolves to its final path. */
export async function receiveUpload(req: IncomingMessage, uploadsDir: string, rawName: string | null, maxBytes: number): Promise<string> {
  const name = sanitizeUploadName(rawName);
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw new UploadError('TOO_LARGE', `${name} is ${formatBytes(declared)}; uploads are limited to ${formatBytes(maxBytes)}.`, 413);
  }
  const dir = join(uploadsDir, randomBytes(6).toString('hex'));
  const partial = join(dir, `${name}.part`);
  let received = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      received += chunk.length;
      if (received > maxBytes) cb(new UploadError('TOO_LARGE', `${name} is larger than the upload limit of ${formatBytes(maxBytes)}.`, 413));
      else cb(null, chunk);
    },
  });
  let created = false;
  try {
    // inside the try: a read-only or full data dir fails here, and must answer with its code and path
    await mkdir(dir, { recursive: true });
    created = true;
    await pipeline(req, limit, createWriteStream(partial, { flags: 'wx' }));
    if (received === 0) throw new UploadError('EMPTY_FILE', `${name} is empty (0 bytes were uploaded).`, 400);
    const final = join(dir, name);
    await rename(partial, final);
    return final;
  } catch (err) {
    req.resume();
    if (created) await rm(dir, { recursive: true, force: true }).catch(() => {});
    if (err instanceof UploadError) throw err;
    let errno = (err as NodeJS.ErrnoException).code;
    // mkdir -p on a read-only file system can say ENOENT: ask the nearest existing folder why
    if (!created && errno === 'ENOENT') errno = whyNotWritable(uploadsDir) ?? errno;
    throw uploadFailure(errno, uploadsDir, name, (err as Error).message);
  }
}

/**
 * A failed upload as a coded error naming the folder: the data dir's disk full, read-only, no
 * permission or gone each say so (never a raw Node message under HTTP 500).
 */
export function uploadFailure(errno: string | undefined, uploadsDir: string, name: string, message: string): UploadError {
  switch (errno) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new UploadError('DISK_FULL', `The disk holding ${uploadsDir} is full; ${name} was not stored.`, 507, { dir: uploadsDir, errno });
    case 'EROFS':
      return new UploadError(
        'NOT_WRITABLE',
        `The data folder ${uploadsDir} is on a read-only file system; ${name} was not stored. Start Maskline with a writable --data-dir.`,
        507,
        { dir: uploadsDir, errno },
      );
    case 'EACCES':
    case 'EPERM':
      return new UploadError('NOT_WRITABLE', `The data folder ${uploadsDir} cannot be written (permission denied, ${errno}); ${name} was not stored.`, 507, {
        dir: uploadsDir,
        errno,
      });
    case 'ENOENT':
    case 'ENOTDIR':
      return new UploadError(
        'NOT_WRITABLE',
        `The data folder ${uploadsDir} cannot be created or written (${errno}: a part of the path is missing or a file); ${name} was not stored.`,
        507,
        { dir: uploadsDir, errno },
      );
    case 'ERR_STREAM_PREMATURE_CLOSE':
    case 'ECONNRESET':
      return new UploadError('UPLOAD_ABORTED', `The upload of ${name} was interrupted; nothing was kept.`, 400);
    default:
      return new UploadError('UPLOAD_FAILED', `Storing ${name} in ${uploadsDir} failed${errno ? ` (${errno})` : ''}: ${message}`, 500, {
        dir: uploadsDir,
        errno: errno ?? null,
      });
  }
}

function formatBytes(n: number): string {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${n} bytes`;
}
