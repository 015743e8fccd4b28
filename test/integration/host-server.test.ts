// The browser host over real services: token, Host/Origin checks, the API, events over a
// WebSocket, frames with caching headers, uploads, and the static renderer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { ApiResult, JobSnapshot, ProjectState } from '../../src-main/api/contract';
import type { EventMessage } from '../../src-main/api/bridge';
import type { AppServices } from '../../src-main/services/app-services';
import { testServices } from '../helpers/services';
import { startHost, type RunningHost } from '../../src-main/host/server';
import { makeVideo, tempDir } from '../helpers/make-video';

const work = tempDir('maskline-host-');
let services: AppServices;
let host: RunningHost;
let clip: string;

beforeAll(async () => {
  const renderer = join(work.dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Maskline</title>');
  writeFileSync(join(renderer, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(work.dir, 'secret.txt'), 'secret');
  services = testServices(join(work.dir, 'data'), { version: '1.0.0' });
  host = await startHost({ backend: services, rendererDir: renderer, uploadsDir: services.layout.uploads, maxUploadBytes: 4 * 2 ** 20, log: () => {} });

  clip = makeVideo(join(work.dir, 'clip.mp4'), { frames: 12, width: 96, height: 64 });
});

afterAll(async () => {
  await services.shutdown();
  await host.close();
  work.cleanup();
});

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** node:http rather than fetch: fetch will not send a forged Host header. */
function http(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, method, path, headers: { host: `127.0.0.1:${host.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const api = (method: string, args: unknown, headers: Record<string, string> = {}) =>
  http('POST', `/api/${method}`, { 'x-maskline-token': host.token, 'content-type': 'application/json', ...headers }, JSON.stringify(args));
const json = (r: Res) => JSON.parse(r.body.toString()) as ApiResult<unknown>;

describe('who may talk to the host', () => {
  it('binds to loopback and prints a URL with a long random token', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[0-9a-f]{64}$`));
  });

  const cases: [string, string, string, Record<string, string>, number][] = [
    ['page without token', 'GET', '/', {}, 401],
    ['page with wrong token', 'GET', '/?token=123', {}, 401],
    ['API without token header', 'POST', '/api/app.info', {}, 401],
    ['API with the token only in the query', 'POST', '/api/app.info?token=TOKEN', {}, 401],
    ['API as GET', 'GET', '/api/app.info', { 'x-maskline-token': 'TOKEN' }, 405],
    ['DNS-rebinding Host', 'GET', '/?token=TOKEN', { host: 'evil.example:PORT' }, 421],
    ['foreign Origin on the API', 'POST', '/api/app.info', { 'x-maskline-token': 'TOKEN', origin: 'http://evil.example' }, 403],
    ['frame without token', 'GET', `/frames/${'a'.repeat(64)}/0.jpg`, {}, 401],
    ['upload without token header', 'POST', '/upload?name=a.mp4', {}, 401],
  ];
  it.each(cases)('%s', async (_n, method, path, headers, status) => {
    const fill = (s: string) => s.replace('TOKEN', host.token).replace('PORT', String(host.port));
    const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, fill(v)]));
    expect((await http(method, fill(path), h)).status).toBe(status);
  });

  it('the page with the token sets a per-port HttpOnly cookie that then opens the assets', async () => {
    const page = await http('GET', `/?token=${host.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toContain(`maskline_token_${host.port}=${host.token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const asset = await http('GET', '/assets/index-abc123.js', { cookie: `maskline_token_${host.port}=${host.token}` });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const escape = await http('GET', '/..%2fsecret.txt', { cookie: `maskline_token_${host.port}=${host.token}` });
    expect(escape.status).toBe(404);
  });
});

describe('API, events and frames', () => {
  it('answers calls as ApiResult JSON, including errors as plain data', async () => {
    const info = json(await api('app.info', {}));
    expect(info).toMatchObject({ ok: true, value: { transport: 'browser', version: '1.0.0' } });
    expect(json(await api('project.openVideo', { path: join(work.dir, 'missing.mp4') }))).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } });
    expect(json(await api('nope.nope', {}))).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const badJson = await http('POST', '/api/app.info', { 'x-maskline-token': host.token }, '{oops');
    expect(badJson.status).toBe(400);
    expect(json(badJson)).toMatchObject({ ok: false, error: { code: 'BAD_ARGS' } });
  });

  it('refuses event sockets without the token or from another origin', async () => {
    const attempt = (url: string, origin?: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, origin ? { origin } : {});
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => {});
      });
    const wsBase = `ws://127.0.0.1:${host.port}`;
    expect(await attempt(`${wsBase}/events`)).toBe(401);
    expect(await attempt(`${wsBase}/events?token=${host.token}`, 'http://evil.example')).toBe(403);
    expect(await attempt(`${wsBase}/other?token=${host.token}`)).toBe(404);
    expect(await attempt(`${wsBase}/events?token=${host.token}`, `http://127.0.0.1:${host.port}`)).toBe(101);
  });

  it('streams job events and serves immutable frames once written', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/events?token=${host.token}`);
    const events: EventMessage[] = [];
    ws.on('message', (d) => events.push(JSON.parse(String(d))));
    await new Promise((r) => ws.once('open', r));

    const state = (json(await api('project.openVideo', { path: clip })) as { value: ProjectState }).value;
    const key = state.video.key;
    const deadline = Date.now() + 30_000;
    while (!events.some((e) => e.event === 'project.changed' && (e.payload as ProjectState).video.extracted)) {
      if (Date.now() > deadline) throw new Error(`no project.changed event; got ${events.map((e) => e.event)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(events.some((e) => e.event === 'job.updated' && (e.payload as JobSnapshot).state === 'done')).toBe(true);
    ws.close();

    const token = { 'x-maskline-token': host.token };
    const f0 = await http('GET', `/frames/${key}/0.jpg`, token);
    expect(f0.status).toBe(200);
    expect(f0.headers['content-type']).toBe('image/jpeg');
    expect(f0.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(f0.body.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(f0.body.equals(readFileSync(join(services.layout.frames, key, '00000.jpg')))).toBe(true);
    const etag = String(f0.headers.etag);
    expect((await http('GET', `/frames/${key}/0.jpg`, { ...token, 'if-none-match': etag })).status).toBe(304);
    expect((await http('GET', `/frames/${key}/11.jpg?token=${host.token}`)).status).toBe(200);
    const past = await http('GET', `/frames/${key}/12.jpg`, token);
    expect(past.status).toBe(404);
    expect(past.headers['cache-control']).toBe('no-store');
    for (const p of [`/frames/${key}/..%2f..%2fsecret.txt`, `/frames/${key}/00000.jpg`, `/frames/${key}/-1.jpg`]) {
      expect((await http('GET', p, token)).status).toBe(404);
    }
    // a dot-segment leaves /frames/ before routing: it is then a static path, and needs the page's credentials
    expect((await http('GET', '/frames/../secret.txt', token)).status).toBe(401);
    expect((await http('GET', '/frames/../secret.txt', { cookie: `maskline_token_${host.port}=${host.token}` })).status).toBe(404);
  });
});

describe('uploads', () => {
  it('stores the body under uploads/ with a clean name, and the path opens as a video', async () => {
    const bytes = readFileSync(clip);
    const r = await http('POST', `/upload?name=${encodeURIComponent('../my clip (1).mp4')}`, { 'x-maskline-token': host.token }, bytes);
    expect(r.status).toBe(200);
    const path = (json(r) as { value: { path: string } }).value.path;
    expect(path.startsWith(services.layout.uploads)).toBe(true);
    expect(path.endsWith('/my clip _1_.mp4')).toBe(true);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(json(await api('project.openVideo', { path }))).toMatchObject({ ok: true, value: { video: { frames: 12 } } });
  });

  it('refuses an upload over the limit and keeps nothing of it', async () => {
    const before = readdirSync(services.layout.uploads).length;
    const r = await http('POST', '/upload?name=big.mp4', { 'x-maskline-token': host.token }, Buffer.alloc(5 * 2 ** 20));
    expect(r.status).toBe(413);
    expect(json(r)).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    expect(readdirSync(services.layout.uploads).length).toBe(before);
  });

  it('refuses an empty upload', async () => {
    const r = await http('POST', '/upload?name=empty.mp4', { 'x-maskline-token': host.token }, Buffer.alloc(0));
    expect(json(r)).toMatchObject({ ok: false, error: { code: 'EMPTY_FILE' } });
  });
});
