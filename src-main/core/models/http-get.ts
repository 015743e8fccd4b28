// One HTTP(S) GET with redirects, an idle timeout and an AbortSignal. The caller consumes (or
// discards) the body; nothing here retries: download-file.ts decides what a failure means.
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { CodedError } from '../../api/errors';

export interface GetOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** the socket may be silent at most this long, before or during the body */
  idleTimeoutMs?: number;
  maxRedirects?: number;
}

export interface GetResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: IncomingMessage;
  /** the URL that answered, after redirects */
  url: string;
}

/** A transport-level failure (refused, reset, timed out, DNS): worth retrying. */
export class NetworkError extends CodedError<'NETWORK', { url: string }> {
  constructor(
    message: string,
    readonly url: string,
  ) {
    super('NETWORK', message, { url });
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function once(url: string, opts: GetOptions): Promise<GetResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const mod = target.protocol === 'https:' ? https : http;
    const req = mod.get(target, { headers: { 'user-agent': 'maskline-model-downloader', ...opts.headers }, signal: opts.signal }, (res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, url });
    });
    req.setTimeout(opts.idleTimeoutMs ?? 30_000, () => {
      req.destroy(new NetworkError(`no data from ${target.host} for ${Math.round((opts.idleTimeoutMs ?? 30_000) / 1000)} s`, url));
    });
    req.on('error', (err) => {
      if (opts.signal?.aborted) reject(err);
      else if (err instanceof NetworkError) reject(err);
      else reject(new NetworkError(`${(err as NodeJS.ErrnoException).code ?? ''} ${err.message}`.trim(), url));
    });
  });
}

export async function httpGet(url: string, opts: GetOptions = {}): Promise<GetResponse> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const res = await once(current, opts);
    const location = res.headers.location;
    if (!REDIRECTS.has(res.status) || !location) return res;
    res.body.resume();
    if (hop >= (opts.maxRedirects ?? 5)) throw new NetworkError(`too many redirects (last: ${location})`, url);
    const next = new URL(location, current);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new NetworkError(`redirect to unsupported URL ${next}`, url);
    current = next.toString();
  }
}
