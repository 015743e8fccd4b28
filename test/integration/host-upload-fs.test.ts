// Issue 13 item 3: uploads into a read-only or full data dir answer with a coded error that names
// the folder (NOT_WRITABLE, DISK_FULL), never HTTP 500 with a raw Node message, and keep nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { AppServices } from '../../src-main/services/app-services';
import { testServices } from '../helpers/services';
import { startHost, type RunningHost } from '../../src-main/host/server';
import { uploadFailure } from '../../src-main/host/upload';
import { tempDir } from '../helpers/make-video';
import { canMountTmpfs, mountTmpfs } from '../helpers/tmpfs';

const work = tempDir('maskline-host-fs-');
const mountable = canMountTmpfs();
let services: AppServices;
const unmounts: (() => void)[] = [];

beforeAll(() => {
  services = testServices(join(work.dir, 'data'));
});
afterAll(async () => {
  await services.shutdown();
  for (const u of unmounts.reverse()) u();
  work.cleanup();
});

async function hostOn(uploadsDir: string): Promise<RunningHost> {
  const renderer = join(work.dir, 'renderer');
  mkdirSync(renderer, { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html>');
  return startHost({ backend: services, rendererDir: renderer, uploadsDir, log: () => {} });
}

function upload(
  host: RunningHost,
  body: Buffer,
): Promise<{ status: number; json: { ok: boolean; error?: { code: string; message: string; details?: Record<string, unknown> } } }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        method: 'POST',
        path: '/upload?name=clip.mp4',
        headers: { host: `127.0.0.1:${host.port}`, 'x-maskline-token': host.token },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(Buffer.concat(chunks).toString()) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('uploads into a data dir that cannot take them', () => {
  it.skipIf(!mountable)('read-only: 507 NOT_WRITABLE naming the folder (needs root to mount tmpfs)', async () => {
    const at = join(work.dir, 'ro');
    mkdirSync(at);
    unmounts.push(mountTmpfs(at, 'size=1m'));
    execFileSync('mount', ['-o', 'remount,ro', at]);
    const host = await hostOn(join(at, 'uploads'));
    try {
      const r = await upload(host, Buffer.alloc(1000, 1));
      expect(r.status).toBe(507);
      expect(r.json.error).toMatchObject({ code: 'NOT_WRITABLE', details: { dir: join(at, 'uploads') } });
      expect(r.json.error!.message).toContain(join(at, 'uploads'));
      expect(r.json.error!.message).not.toMatch(/ENOENT/);
    } finally {
      await host.close();
    }
  });

  it.skipIf(!mountable)('full: 507 DISK_FULL naming the folder, and the partial file is gone (needs root to mount tmpfs)', async () => {
    const at = join(work.dir, 'full');
    mkdirSync(at);
    unmounts.push(mountTmpfs(at, 'size=64k'));
    const host = await hostOn(join(at, 'uploads'));
    try {
      const r = await upload(host, Buffer.alloc(512 * 1024, 7));
      expect(r.status).toBe(507);
      expect(r.json.error).toMatchObject({ code: 'DISK_FULL', details: { dir: join(at, 'uploads') } });
      expect(r.json.error!.message).toContain(join(at, 'uploads'));
      expect(readdirSync(join(at, 'uploads'))).toEqual([]);
    } finally {
      await host.close();
    }
  });
});

describe('uploadFailure', () => {
  it.each([
    ['ENOSPC', 'DISK_FULL', 507],
    ['EDQUOT', 'DISK_FULL', 507],
    ['EROFS', 'NOT_WRITABLE', 507],
    ['EACCES', 'NOT_WRITABLE', 507],
    ['EPERM', 'NOT_WRITABLE', 507],
    ['ENOENT', 'NOT_WRITABLE', 507],
    ['ENOTDIR', 'NOT_WRITABLE', 507],
    ['ECONNRESET', 'UPLOAD_ABORTED', 400],
    ['EIO', 'UPLOAD_FAILED', 500],
  ])('%s → %s (%d), naming the folder', (errno, code, status) => {
    const e = uploadFailure(errno, '/data/uploads', 'a.mp4', 'raw');
    expect(e).toMatchObject({ code, status });
    if (code !== 'UPLOAD_ABORTED') expect(e.message).toContain('/data/uploads');
  });
});
