// The browser host: the built renderer, the API, events and frames on 127.0.0.1 only,
// for a random token. Routes:
//   GET  /?token=…            the renderer (sets the per-port token cookie)
//   GET  /assets/…            the renderer's files (cookie)
//   POST /api/<method>        JSON args → ApiResult JSON (x-maskline-token header)
//   GET  /events              WebSocket of EventMessage JSON (?token= or cookie)
//   GET  /frames/<key>/<n>.jpg  one cached frame (cookie, ?token= or header)
//   POST /upload?name=…       the request body becomes a file under uploads/ (header)
import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiResult } from '../api/contract';
import { TOKEN_HEADER, TOKEN_QUERY, tokenCookieName } from '../api/bridge';
import { errorResult, okResult } from '../api/errors';
import type { ApiBackend } from '../services/backend';
import { parseFrameRef } from '../services/frame-request';
import { allowedHost, allowedOrigin, tokenSources, type TokenSource } from './request-guard';
import { cacheControlFor, mimeType, realPathInside, resolveStaticPath } from './static-files';
import { DEFAULT_MAX_UPLOAD_BYTES, receiveUpload, UploadError } from './upload';
import { BodyBudget, BodyReservation } from './body-budget';

export interface HostOptions {
  backend: ApiBackend;
  /** out/renderer */
  rendererDir: string;
  uploadsDir: string;
  /** 0 (default): a free port */
  port?: number;
  /** for tests; by default 32 random bytes */
  token?: string;
  maxUploadBytes?: number;
  /** largest API request body (JSON args); default 64 MiB */
  maxBodyBytes?: number;
  /** all API bodies being received at once, together; default 128 MiB (more: 503 at once) */
  maxInFlightBodyBytes?: number;
  /** an API body must arrive within this long after its headers; default 15 s (408) */
  bodyTimeoutMs?: number;
  /** the request line and headers must arrive within this long; default 10 s */
  headersTimeoutMs?: number;
  /** an upload that sends nothing for this long is dropped; default 30 s */
  uploadIdleMs?: number;
  log?: (line: string) => void;
}

export interface RunningHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  // the page URL carries the token: never leak it in a Referer
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const token = opts.token ?? randomBytes(32).toString('hex');
  const maxUpload = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const maxBody = opts.maxBodyBytes ?? 64 * 2 ** 20;
  const budget = new BodyBudget(opts.maxInFlightBodyBytes ?? 128 * 2 ** 20);
  const bodyTimeoutMs = opts.bodyTimeoutMs ?? 15_000;
  const headersTimeoutMs = opts.headersTimeoutMs ?? 10_000;
  const log = opts.log ?? ((l: string) => console.error(l));
  let port = 0;

  // Loopback clients send a request in milliseconds: a connection that stalls is dropped early
  // (Node's defaults, 60 s for headers and 300 s per request, keep stalled sockets for minutes).
  // requestTimeout stays off because it would also cut a long upload; API bodies get their own
  // deadline (readJsonBody) and uploads an idle timeout, and headers are checked every second.
  const server: Server = createServer(
    { headersTimeout: headersTimeoutMs, requestTimeout: 0, connectionsCheckingInterval: Math.min(1000, headersTimeoutMs) },
    (req, res) => {
      handle(req, res).catch((err) => {
        log(`[host] ${req.method} ${req.url}: ${(err as Error).stack ?? err}`);
        if (!res.headersSent) sendJson(res, 500, errorResult(err));
        else res.destroy();
      });
    },
  );

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    if (!allowedHost(req.headers.host, port)) return sendText(res, 421, 'Unexpected Host header: Maskline only answers on its loopback address.');
    if (!allowedOrigin(req.headers.origin, port)) return sendText(res, 403, 'Requests from other sites are not allowed.');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const auth = tokenSources(
      { header: headerOf(req, TOKEN_HEADER), query: url.searchParams.get(TOKEN_QUERY), cookieHeader: req.headers.cookie },
      token,
      tokenCookieName(port),
    );
    const authed = (...sources: TokenSource[]) => sources.some((s) => auth.has(s));
    const path = url.pathname;

    if (path.startsWith('/api/')) {
      if (req.method !== 'POST') return sendText(res, 405, 'API calls are POST requests.', { allow: 'POST' });
      if (!authed('header')) return sendJson(res, 401, errorResult({ code: 'FORBIDDEN', message: `missing or wrong ${TOKEN_HEADER} header` }));
      const body = await readJsonBody(req, res, { max: maxBody, budget, timeoutMs: bodyTimeoutMs });
      if (!body.ok) return sendJson(res, body.status, body);
      return sendJson(res, 200, await opts.backend.call(safeDecode(path.slice('/api/'.length)), body.value));
    }
    if (path === '/upload') {
      if (req.method !== 'POST') return sendText(res, 405, 'Uploads are POST requests.', { allow: 'POST' });
      if (!authed('header')) return sendJson(res, 401, errorResult({ code: 'FORBIDDEN', message: `missing or wrong ${TOKEN_HEADER} header` }));
      try {
        req.setTimeout(opts.uploadIdleMs ?? 30_000, () => req.destroy(Object.assign(new Error('upload idle'), { code: 'ECONNRESET' })));
        const saved = await receiveUpload(req, opts.uploadsDir, url.searchParams.get('name'), maxUpload);
        return sendJson(res, 200, okResult({ path: saved }));
      } catch (err) {
        res.setHeader('connection', 'close');
        return sendJson(res, err instanceof UploadError ? err.status : 500, errorResult(err));
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.', { allow: 'GET, HEAD' });
    if (path.startsWith('/frames/')) {
      if (!authed('cookie', 'query', 'header')) return sendText(res, 401, 'Missing or wrong token.');
      return serveFrame(req, res, path.slice('/frames/'.length));
    }
    // the renderer: the page itself may bring the token in the URL and gets the cookie
    if (!authed('cookie', 'query')) {
      return sendText(res, 401, 'This Maskline host needs its token: open the full URL it printed at start-up (…/?token=…).');
    }
    if (auth.has('query')) {
      res.setHeader('set-cookie', `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    return serveStatic(req, res, path);
  }

  function serveFrame(req: IncomingMessage, res: ServerResponse, rest: string): void {
    const decoded = safeDecode(rest);
    const ref = decoded === null ? null : parseFrameRef(decoded);
    const file = ref ? opts.backend.frameFile(ref) : null;
    if (!ref || !file) return sendText(res, 404, 'No such frame (yet).', { 'cache-control': 'no-store' });
    // the key names the video's content, so a frame's bytes never change under its URL
    const etag = `"${ref.key.slice(0, 24)}-${ref.frame}"`;
    const headers = { 'cache-control': 'public, max-age=31536000, immutable', etag, 'content-type': 'image/jpeg' };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      return void res.end();
    }
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return sendText(res, 404, 'No such frame (yet).', { 'cache-control': 'no-store' });
    }
    res.writeHead(200, { ...headers, 'content-length': String(size) });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  function serveStatic(req: IncomingMessage, res: ServerResponse, path: string): void {
    const file = resolveStaticPath(opts.rendererDir, path);
    let size = -1;
    if (file) {
      try {
        const st = statSync(file);
        if (st.isFile() && realPathInside(opts.rendererDir, file)) size = st.size;
      } catch {
        size = -1;
      }
    }
    if (!file || size < 0) return sendText(res, 404, `Not found: ${path}`);
    res.writeHead(200, { 'content-type': mimeType(file), 'content-length': String(size), 'cache-control': cacheControlFor(file, opts.rendererDir) });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const auth = tokenSources({ query: url.searchParams.get(TOKEN_QUERY), cookieHeader: req.headers.cookie }, token, tokenCookieName(port));
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    };
    if (!allowedHost(req.headers.host, port)) return refuse('421 Misdirected Request');
    if (!allowedOrigin(req.headers.origin, port)) return refuse('403 Forbidden');
    if (url.pathname !== '/events') return refuse('404 Not Found');
    if (auth.size === 0) return refuse('401 Unauthorized');
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
  });
  // clients only listen; anything they send is ignored
  sockets.on('connection', (ws: WebSocket) => ws.on('error', () => ws.terminate()));
  const unsubscribe = opts.backend.subscribe((message) => {
    const data = JSON.stringify(message);
    for (const ws of sockets.clients) if (ws.readyState === ws.OPEN) ws.send(data);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?${TOKEN_QUERY}=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sendJson(res: ServerResponse, status: number, body: ApiResult<unknown>): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

type BodyResult = ApiResult<unknown> & { status: number };

function bodyError(status: number, code: string, message: string): BodyResult {
  return { ...errorResult({ code, message }), status };
}

/**
 * The JSON body, read within the shared budget and the deadline. Refused before reading when it
 * declares more than `max` (413) or more than the budget has left (503); refused mid-way when it
 * grows past either, or when it has not arrived within `timeoutMs` (408). A refused request gets
 * its answer with `connection: close` and its socket is then closed, so nothing more is read.
 */
function readJsonBody(req: IncomingMessage, res: ServerResponse, o: { max: number; budget: BodyBudget; timeoutMs: number }): Promise<BodyResult> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  const tooLarge = () => bodyError(413, 'TOO_LARGE', `request body is larger than ${o.max} bytes`);
  const busy = () => bodyError(503, 'BUSY', 'the host is receiving too many large requests at once; try again in a moment');
  const share = new BodyReservation(o.budget);
  return new Promise<BodyResult>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (r: BodyResult, refused: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      share.release();
      chunks.length = 0;
      if (refused) {
        req.pause();
        res.setHeader('connection', 'close');
        if (r.status === 503) res.setHeader('retry-after', '1');
        res.once('finish', () => req.socket.destroy());
      }
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > o.max) return settle(tooLarge(), true);
      if (!share.cover(size)) return settle(busy(), true);
      chunks.push(chunk);
    };
    const onEnd = () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text.trim()) return settle({ ...okResult({}), status: 200 }, false);
      try {
        settle({ ...okResult(JSON.parse(text)), status: 200 }, false);
      } catch (err) {
        settle(bodyError(400, 'BAD_ARGS', `request body is not JSON: ${(err as Error).message}`), false);
      }
    };
    const onError = () => settle(bodyError(400, 'BAD_ARGS', 'the request body was cut off'), true);
    const timer = setTimeout(() => settle(bodyError(408, 'TIMEOUT', `the request body did not arrive within ${o.timeoutMs} ms`), true), o.timeoutMs);
    if (Number.isFinite(declared) && declared > o.max) return settle(tooLarge(), true);
    if (Number.isFinite(declared) && !share.cover(declared)) return settle(busy(), true);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
