// A local HTTP server for downloader tests. The first path segment picks the behaviour:
//   /ok/<file>         Range supported (206 + Content-Range), ETag
//   /norange/<file>    ignores Range, always 200 with the whole file
//   /cut/<file>        the first request for a file is cut after half of its body, later ones as /ok
//   /cut-norange/<file> first request cut as above, later ones as /norange
//   /truncated/<file>  the server's copy is half the file (Content-Length says so)
//   /short-chunked/<file> half the file, chunked encoding, ended cleanly
//   /flaky/<file>      the first request for a file answers 503, later ones as /ok
//   /slow/<file>       as /ok but 64 KiB every 5 ms, so a test can cancel midway
//   /missing/<file>    404
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';

export interface LoggedRequest {
  mode: string;
  file: string;
  range: string | null;
  status: number;
}

export interface PackServer {
  base: string;
  log: LoggedRequest[];
  files: Map<string, Buffer>;
  close(): Promise<void>;
}

function etagOf(buf: Buffer): string {
  return `"${createHash('sha1').update(buf).digest('hex')}"`;
}

export async function startPackServer(files: Map<string, Buffer>): Promise<PackServer> {
  const log: LoggedRequest[] = [];
  const firstSeen = new Set<string>();
  const server = http.createServer((req, res) => {
    const [, mode = '', ...rest] = (req.url ?? '/').split('/');
    const file = decodeURIComponent(rest.join('/'));
    const range = (req.headers.range as string | undefined) ?? null;
    const entry: LoggedRequest = { mode, file, range, status: 0 };
    log.push(entry);
    const body = files.get(file);
    const first = !firstSeen.has(`${mode}/${file}`);
    firstSeen.add(`${mode}/${file}`);
    const send = (status: number, headers: http.OutgoingHttpHeaders, data?: Buffer) => {
      entry.status = status;
      res.writeHead(status, headers);
      res.end(data);
    };
    if (!body || mode === 'missing') return send(404, { 'content-type': 'text/plain' }, Buffer.from('not found'));
    if (mode === 'flaky' && first) return send(503, {}, Buffer.from('busy'));
    if (mode === 'truncated') {
      const half = body.subarray(0, Math.floor(body.length / 2));
      return send(200, { 'content-length': half.length }, half);
    }
    if (mode === 'short-chunked') {
      entry.status = 200;
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      res.write(body.subarray(0, Math.floor(body.length / 2)));
      return res.end();
    }
    const honourRange = !(mode === 'norange' || (mode === 'cut-norange' && !first));
    let start = 0;
    const m = range && honourRange ? /^bytes=(\d+)-$/.exec(range) : null;
    if (m) start = Number(m[1]);
    if (start > body.length) return send(416, { 'content-range': `bytes */${body.length}` });
    const part = body.subarray(start);
    const headers: http.OutgoingHttpHeaders = { 'content-length': part.length, 'accept-ranges': honourRange ? 'bytes' : 'none', etag: etagOf(body) };
    if (m) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    const status = m ? 206 : 200;
    entry.status = status;
    res.writeHead(status, headers);
    if ((mode === 'cut' || mode === 'cut-norange') && first) {
      res.write(part.subarray(0, Math.floor(part.length / 2)), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    if (mode === 'slow') {
      let at = 0;
      const tick = () => {
        if (res.destroyed) return;
        const chunk = part.subarray(at, at + 65536);
        at += chunk.length;
        if (at >= part.length) return void res.end(chunk);
        res.write(chunk);
        setTimeout(tick, 5);
      };
      return tick();
    }
    res.end(part);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    log,
    files,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
