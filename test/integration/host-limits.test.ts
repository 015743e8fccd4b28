// Issue 13 item 4 on the real host: API bodies share a bounded budget (what does not fit is
// refused at once, before it is read), oversized bodies are refused from their Content-Length,
// and stalled connections are dropped after short header/body deadlines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import type { AppServices } from '../../src-main/services/app-services';
import { testServices } from '../helpers/services';
import { startHost, type RunningHost } from '../../src-main/host/server';
import { BodyBudget, BodyReservation } from '../../src-main/host/body-budget';
import { tempDir } from '../helpers/make-video';

const work = tempDir('maskline-host-limits-');
let services: AppServices;
let host: RunningHost;
const KiB = 1024;

beforeAll(async () => {
  const renderer = join(work.dir, 'renderer');
  mkdirSync(renderer, { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html>');
  services = testServices(join(work.dir, 'data'));
  host = await startHost({
    backend: services,
    rendererDir: renderer,
    uploadsDir: services.layout.uploads,
    log: () => {},
    maxBodyBytes: 600 * KiB,
    maxInFlightBodyBytes: 1000 * KiB,
    bodyTimeoutMs: 700,
    headersTimeoutMs: 700,
  });
});
afterAll(async () => {
  await host.close();
  await services.shutdown();
  work.cleanup();
});

/** A raw connection: what it received, and when it was closed. */
function raw(): { socket: Socket; received: () => string; closed: Promise<number> } {
  const socket = connect(host.port, '127.0.0.1');
  let data = '';
  socket.on('data', (d) => (data += d.toString()));
  socket.on('error', () => {});
  const start = Date.now();
  const closed = new Promise<number>((r) => socket.on('close', () => r(Date.now() - start)));
  return { socket, received: () => data, closed };
}

function apiHead(length: number | null): string {
  return [
    'POST /api/app.info HTTP/1.1',
    `host: 127.0.0.1:${host.port}`,
    `x-maskline-token: ${host.token}`,
    'content-type: application/json',
    length === null ? 'transfer-encoding: chunked' : `content-length: ${length}`,
    '',
    '',
  ].join('\r\n');
}

const statusOf = (text: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);

describe('API body limits', () => {
  it('a body declaring more than the per-request limit is refused from its header (413), unread', async () => {
    const c = raw();
    c.socket.write(apiHead(700 * KiB));
    await c.closed;
    expect(statusOf(c.received())).toBe(413);
    expect(c.received()).toMatch(/"code":"TOO_LARGE"/);
  });

  it('bodies in flight share one budget: a second large body waits for nothing, it is refused at once (503)', async () => {
    const first = raw();
    first.socket.write(apiHead(550 * KiB));
    first.socket.write(Buffer.alloc(10 * KiB, 32));
    await new Promise((r) => setTimeout(r, 100));
    const second = raw();
    second.socket.write(apiHead(550 * KiB));
    const t = await second.closed;
    expect(statusOf(second.received())).toBe(503);
    expect(second.received()).toMatch(/retry-after: 1/i);
    expect(second.received()).toMatch(/"code":"BUSY"/);
    expect(t).toBeLessThan(600);
    // the first finishes its body: answered normally, and the budget is free again
    first.socket.write('{}'.padEnd(550 * KiB - 10 * KiB, ' '));
    await new Promise<void>((r) => {
      const check = () => (statusOf(first.received()) ? r() : setTimeout(check, 20));
      check();
    });
    expect(statusOf(first.received())).toBe(200);
    first.socket.end();
    const third = raw();
    third.socket.write(apiHead(2));
    third.socket.write('{}');
    await new Promise<void>((r) => {
      const check = () => (statusOf(third.received()) ? r() : setTimeout(check, 20));
      check();
    });
    expect(statusOf(third.received())).toBe(200);
    third.socket.end();
  });

  it('a chunked body without a length is counted as it streams and refused when it outgrows the limit', async () => {
    const c = raw();
    c.socket.write(apiHead(null));
    const chunk = Buffer.alloc(100 * KiB, 32);
    for (let i = 0; i < 8 && !c.socket.destroyed; i++) {
      c.socket.write(`${chunk.length.toString(16)}\r\n`);
      c.socket.write(chunk);
      c.socket.write('\r\n');
      await new Promise((r) => setTimeout(r, 20));
    }
    await c.closed;
    expect(statusOf(c.received())).toBe(413);
  });
});

describe('stalled connections', () => {
  it('headers that never finish: the connection is dropped after the headers timeout', async () => {
    const c = raw();
    c.socket.write(`POST /api/app.info HTTP/1.1\r\nhost: 127.0.0.1:${host.port}\r\n`);
    const t = await c.closed;
    expect(t).toBeGreaterThanOrEqual(600);
    expect(t).toBeLessThan(5000);
  });

  it('a body that stops arriving: 408 after the body timeout, connection closed', async () => {
    const c = raw();
    c.socket.write(apiHead(1000));
    c.socket.write('{"a":');
    const t = await c.closed;
    expect(statusOf(c.received())).toBe(408);
    expect(c.received()).toMatch(/"code":"TIMEOUT"/);
    expect(t).toBeGreaterThanOrEqual(600);
    expect(t).toBeLessThan(5000);
  });
});

describe('BodyBudget', () => {
  it('reserves what fits, grows a share chunk by chunk, returns it once', () => {
    const b = new BodyBudget(100);
    const a = new BodyReservation(b);
    expect(a.cover(60)).toBe(true);
    expect(a.cover(80)).toBe(true);
    expect(b.inFlight).toBe(80);
    const c = new BodyReservation(b);
    expect(c.cover(30)).toBe(false);
    expect(b.inFlight).toBe(80);
    a.release();
    a.release();
    expect(b.inFlight).toBe(0);
    expect(c.cover(30)).toBe(true);
  });
});
