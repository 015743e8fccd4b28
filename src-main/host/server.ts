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
import { parseFrameRef } from '../services/frame-path';
import { allowedHost, allowedOrigin, tokenSources, type TokenSource } from './request-guard';
import { cacheControlFor, mimeType, realPathInside, resolveStaticPath } from './static-files';
import { DEFAULT_MAX_UPLOAD_BYTES, receiveUpload, UploadError } from './upload';

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
  /** largest API request body (JSON args) */
  maxBodyBytes?: number;
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
  const log = opts.log ?? ((l: string) => console.error(l));
  let port = 0;

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log(`[host] ${req.method} ${req.url}: ${(err as Error).stack ?? err}`);
      if (!res.headersSent) sendJson(res, 500, errorResult(err));
      else res.destroy();
    });
  });

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
      const body = await readJsonBody(req, res, maxBody);
      if (!body.ok) return sendJson(res, 400, body);
      return sendJson(res, 200, await opts.backend.call(safeDecode(path.slice('/api/'.length)), body.value));
    }
    if (path === '/upload') {
      if (req.method !== 'POST') return sendText(res, 405, 'Uploads are POST requests.', { allow: 'POST' });
      if (!authed('header')) return sendJson(res, 401, errorResult({ code: 'FORBIDDEN', message: `missing or wrong ${TOKEN_HEADER} header` }));
      try {
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
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
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
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
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

async function readJsonBody(req: IncomingMessage, res: ServerResponse, max: number): Promise<ApiResult<unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      res.setHeader('connection', 'close');
      return errorResult({ code: 'BAD_ARGS', message: `request body is larger than ${max} bytes` });
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return okResult({});
  try {
    return okResult(JSON.parse(text));
  } catch (err) {
    return errorResult({ code: 'BAD_ARGS', message: `request body is not JSON: ${(err as Error).message}` });
  }
}
