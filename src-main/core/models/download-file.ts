// One file of a pack: GET with Range resume into `<dest>.part` (+ a small state file), sha256
// computed while streaming (and over the prefix kept from an earlier attempt), retries with
// backoff on connection errors, and a rename to `dest` only when size and hash are right.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { open, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ModelsError, cancelled } from './errors';
import { httpGet, NetworkError } from './http-get';
import { backoffDelay, planResponse } from './resume-plan';

export interface DownloadFileOptions {
  url: string;
  /** final path; `<dest>.part` and `<dest>.part.json` are used meanwhile */
  dest: string;
  bytes: number;
  sha256: string;
  signal?: AbortSignal;
  /** bytes of this file on disk so far (including a resumed prefix), after every chunk */
  onBytes?: (done: number) => void;
  /** connection attempts after the first one fails (default 5) */
  retries?: number;
  backoffMs?: number;
  idleTimeoutMs?: number;
}

export interface DownloadFileResult {
  /** bytes that were already on disk when this call started */
  resumedFrom: number;
  /** HTTP requests made */
  requests: number;
  /** times the file was started again from byte 0 (server ignored Range, bad prefix, ...) */
  restarts: number;
}

interface PartState {
  url: string;
  bytes: number;
  sha256: string;
  etag?: string;
}

function sleep(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled(what));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled(what));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function hashPrefix(path: string, length: number): Promise<Hash> {
  const h = createHash('sha256');
  if (length > 0) for await (const chunk of createReadStream(path, { start: 0, end: length - 1 })) h.update(chunk as Buffer);
  return h;
}

async function sha256Of(path: string): Promise<string> {
  return (await hashPrefix(path, (await stat(path)).size)).digest('hex');
}

async function readState(path: string): Promise<PartState | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as PartState;
  } catch {
    return null;
  }
}

export async function downloadFile(o: DownloadFileOptions): Promise<DownloadFileResult> {
  const name = basename(o.dest);
  const what = `download of ${name}`;
  const part = `${o.dest}.part`;
  const statePath = `${o.dest}.part.json`;
  const want = o.sha256.toLowerCase();
  const retries = o.retries ?? 5;
  const fail = (code: 'SIZE_MISMATCH' | 'SHA256_MISMATCH' | 'HTTP_STATUS' | 'NETWORK', msg: string, status?: number) =>
    new ModelsError(code, `${name}: ${msg}`, { file: name, url: o.url, ...(status ? { status } : {}) });

  // a file completed by an earlier call (crash between two files) is not fetched again
  if (existsSync(o.dest) && (await stat(o.dest)).size === o.bytes && (await sha256Of(o.dest)) === want) {
    o.onBytes?.(o.bytes);
    return { resumedFrom: o.bytes, requests: 0, restarts: 0 };
  }
  const state = await readState(statePath);
  const sameFile = state && state.url === o.url && state.bytes === o.bytes && state.sha256 === want;
  let offset = sameFile && existsSync(part) ? (await stat(part)).size : 0;
  if (offset > o.bytes) offset = 0;
  let etag = sameFile ? state.etag : undefined;
  await writeFile(part, '', { flag: offset === 0 ? 'w' : 'a' });
  await truncate(part, offset);
  await writeFile(statePath, JSON.stringify({ url: o.url, bytes: o.bytes, sha256: want, etag } satisfies PartState));
  const resumedFrom = offset;
  let hash = await hashPrefix(part, offset);
  let prefixFromDisk = offset > 0;
  let requests = 0;
  let restarts = 0;
  let failures = 0;
  o.onBytes?.(offset);

  const restartFromZero = async () => {
    restarts++;
    if (restarts > 3) throw fail('NETWORK', 'the server keeps answering with the wrong range; giving up');
    offset = 0;
    hash = createHash('sha256');
    prefixFromDisk = false;
    await truncate(part, 0);
    o.onBytes?.(0);
  };
  const transient = async (why: string) => {
    failures++;
    if (failures > retries) throw fail('NETWORK', `download failed after ${failures} attempts: ${why}`);
    await sleep(backoffDelay(failures, o.backoffMs ?? 500), o.signal, what);
  };

  for (;;) {
    if (o.signal?.aborted) throw cancelled(what);
    if (offset === o.bytes) {
      const got = hash.digest('hex');
      if (got === want) break;
      await rm(part, { force: true });
      if (prefixFromDisk) {
        // the kept prefix may be what is damaged: one clean attempt before blaming the server
        await writeFile(part, '');
        await restartFromZero();
        continue;
      }
      await rm(statePath, { force: true });
      throw fail('SHA256_MISMATCH', `sha256 of the download is ${got}, the catalog says ${want}`);
    }
    const headers: Record<string, string> = {};
    if (offset > 0) {
      headers.range = `bytes=${offset}-`;
      if (etag) headers['if-range'] = etag;
    }
    let res;
    try {
      requests++;
      res = await httpGet(o.url, { headers, signal: o.signal, idleTimeoutMs: o.idleTimeoutMs });
    } catch (e) {
      if (o.signal?.aborted) throw cancelled(what);
      await transient(e instanceof NetworkError ? e.message : String(e));
      continue;
    }
    const lengthHeader = res.headers['content-length'];
    const contentLength = lengthHeader === undefined ? null : Number(lengthHeader);
    const plan = planResponse({ status: res.status, offset, expectedBytes: o.bytes, contentRange: res.headers['content-range'], contentLength });
    if (plan.kind === 'fail') {
      res.body.resume();
      await rm(part, { force: true });
      await rm(statePath, { force: true });
      throw fail(plan.code, `${plan.why} (${o.url})`, res.status);
    }
    if (plan.kind === 'retry') {
      res.body.resume();
      await transient(`${plan.why} from ${o.url}`);
      continue;
    }
    if (plan.kind === 'request-from-zero') {
      res.body.resume();
      await restartFromZero();
      continue;
    }
    if (plan.kind === 'restart-with-body') await restartFromZero();
    const newEtag = typeof res.headers.etag === 'string' ? res.headers.etag : undefined;
    if (newEtag && newEtag !== etag) {
      // If-Range on the next resume: a changed file on the server then comes whole (200), not spliced
      etag = newEtag;
      await writeFile(statePath, JSON.stringify({ url: o.url, bytes: o.bytes, sha256: want, etag } satisfies PartState));
    }
    let received = 0;
    const fh = await open(part, 'a');
    try {
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        if (offset + chunk.length > o.bytes) {
          res.body.destroy();
          throw fail('SIZE_MISMATCH', `the server sent more than the catalog's ${o.bytes} bytes (${o.url})`);
        }
        hash.update(chunk);
        try {
          await fh.write(chunk);
        } catch (err) {
          throw new ModelsError('INSTALL', `${name}: cannot write ${part}: ${(err as Error).message}`, { file: name });
        }
        offset += chunk.length;
        received += chunk.length;
        o.onBytes?.(offset);
      }
    } catch (e) {
      if (e instanceof ModelsError) {
        await fh.close();
        await rm(part, { force: true });
        await rm(statePath, { force: true });
        throw e;
      }
      await fh.close();
      if (o.signal?.aborted) throw cancelled(what);
      // cut mid-body: the bytes so far are on disk and in the hash; resume from here
      await transient(`connection lost after ${offset} bytes: ${(e as Error).message}`);
      continue;
    }
    await fh.close();
    if (offset < o.bytes && (contentLength === null || received >= contentLength)) {
      // the response ended normally: the server's copy is shorter than the catalog says
      await rm(part, { force: true });
      await rm(statePath, { force: true });
      throw fail('SIZE_MISMATCH', `the server's file ends at ${offset} bytes, the catalog says ${o.bytes} (${o.url})`);
    }
    if (offset < o.bytes) await transient(`connection lost after ${offset} bytes`);
  }
  await rename(part, o.dest);
  await rm(statePath, { force: true });
  return { resumedFrom, requests, restarts };
}
