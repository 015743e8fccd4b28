// Serves a model pack's files over HTTP at a fixed rate with Range support, and writes a
// catalog that points at it — so the models screen's download can be watched, cancelled
// midway and resumed (the downloader continues a partial file with Range).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SlowPackServer {
  base: string;
  /** Range headers of the requests received, per file ("" for a whole-file request) */
  ranges: Map<string, string[]>;
  close(): Promise<void>;
}

export async function startSlowPackServer(packDir: string, bytesPerSecond: number): Promise<SlowPackServer> {
  const files = new Map(readdirSync(packDir).map((n) => [n, readFileSync(join(packDir, n))]));
  const ranges = new Map<string, string[]>();
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    const body = files.get(name);
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    const range = req.headers.range ?? '';
    ranges.set(name, [...(ranges.get(name) ?? []), range]);
    const m = /^bytes=(\d+)-$/.exec(range);
    const start = m ? Number(m[1]) : 0;
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    res.writeHead(m ? 206 : 200, {
      'content-length': body.length - start,
      'accept-ranges': 'bytes',
      etag,
      ...(m ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    // 20 slices a second at the given rate
    const slice = Math.max(1, Math.floor(bytesPerSecond / 20));
    let pos = start;
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      const end = Math.min(body.length, pos + slice);
      res.write(body.subarray(pos, end));
      pos = end;
      if (pos >= body.length) {
        clearInterval(timer);
        res.end();
      }
    }, 50);
    res.on('close', () => clearInterval(timer));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    ranges,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A catalog file with one available entry serving every file of `packDir` from `base`. */
export function writeCatalog(path: string, packDir: string, base: string, id = 'micro-served'): void {
  const files = readdirSync(packDir).map((name) => {
    const buf = readFileSync(join(packDir, name));
    return { name, url: `${base}/${encodeURIComponent(name)}`, bytes: buf.length, sha256: createHash('sha256').update(buf).digest('hex') };
  });
  const doc = {
    catalog_version: 1,
    entries: [{ id, name: 'Micro pack (served by the test)', source: 'test', description: 'the micro fixture pack over HTTP', format_version: 1, files }],
  };
  writeFileSync(path, JSON.stringify(doc, null, 2));
}
