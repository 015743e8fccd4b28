// Downloader against a local HTTP server serving the micro fixture pack: normal install, Range
// resume after a cut connection, a server that ignores Range, cancel + resume, retries, and the
// failures (truncated file, wrong hash, missing graph, wrong format version, 404) that must leave
// nothing under the pack's final name.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { parseCatalog } from '../../src-main/core/models/catalog';
import { makeCatalogEntry } from '../../src-main/core/models/catalog-entry';
import { downloadPack, type DownloadProgress } from '../../src-main/core/models/download';
import { ModelsError } from '../../src-main/core/models/errors';
import { listPacks } from '../../src-main/core/models/registry';
import { entryFor } from '../unit/models/support/catalog-entry';
import { microPackDir, packBuffers, PACK_FILES } from '../unit/models/support/fixture-pack';
import { startPackServer, type PackServer } from '../unit/models/support/pack-server';

let server: PackServer;
let files: Map<string, Buffer>;
let root: string;
let modelsDir: string;
const fast = { retries: 3, backoffMs: 10, idleTimeoutMs: 5000 };

beforeAll(async () => {
  files = packBuffers(microPackDir());
  server = await startPackServer(files);
  root = mkdtempSync(join(tmpdir(), 'maskline-download-'));
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

let n = 0;
beforeEach(() => {
  modelsDir = join(root, `models-${n++}`);
  server.log.length = 0;
});

function staging(): string[] {
  return existsSync(modelsDir) ? readdirSync(modelsDir).filter((x) => x.startsWith('.incoming-')) : [];
}

async function expectFailure(p: Promise<unknown>, code: string, text: RegExp): Promise<ModelsError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelsError);
  expect((err as ModelsError).code).toBe(code);
  expect((err as ModelsError).message).toMatch(text);
  return err as ModelsError;
}

function expectInstalledCopy(dir: string): void {
  for (const name of PACK_FILES) expect(readFileSync(join(dir, name)).equals(files.get(name)!), name).toBe(true);
  expect(readdirSync(dir).sort()).toEqual([...PACK_FILES].sort());
}

describe('downloadPack', () => {
  test('downloads, validates and installs a pack, reporting monotonic progress', async () => {
    const progress: DownloadProgress[] = [];
    const res = await downloadPack(entryFor(server.base, 'ok', files), { modelsDir, ...fast, onProgress: (p) => progress.push(p) });
    expect(res.dir).toBe(join(modelsDir, 'micro-test'));
    expect(res.pack.name).toBe('SAM 2.1 micro test fixture (random weights)');
    expectInstalledCopy(res.dir);
    expect(staging()).toEqual([]);
    const total = [...files.values()].reduce((a, b) => a + b.length, 0);
    expect(progress.at(-1)).toMatchObject({ bytes: total, total, fileCount: PACK_FILES.length });
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.bytes).toBeGreaterThanOrEqual(progress[i - 1]!.bytes);
    const listed = await listPacks([{ path: modelsDir, origin: 'user' }]);
    expect(listed).toMatchObject([{ id: 'micro-test', verified: true, problem: null, imageSize: 256, bytes: total }]);
  });

  test('resumes with a Range request after the connection is cut mid-file', async () => {
    const res = await downloadPack(entryFor(server.base, 'cut', files), { modelsDir, ...fast });
    expectInstalledCopy(res.dir);
    const big = 'mask_decoder.onnx';
    const reqs = server.log.filter((r) => r.file === big);
    expect(reqs.length).toBe(2);
    expect(reqs[0]!.range).toBeNull();
    // The server sends half the file then destroys the socket; bytes still in flight may be
    // lost, so the client resumes from what it really received: somewhere in (0, half].
    const cutAt = Math.floor(files.get(big)!.length / 2);
    const resumedFrom = Number(/^bytes=(\d+)-$/.exec(reqs[1]!.range ?? '')?.[1]);
    expect(resumedFrom).toBeGreaterThan(0);
    expect(resumedFrom).toBeLessThanOrEqual(cutAt);
    expect(reqs[1]!.status).toBe(206);
  });

  test('starts the file again from byte 0 when the server ignores Range', async () => {
    const res = await downloadPack(entryFor(server.base, 'cut-norange', files), { modelsDir, ...fast });
    expectInstalledCopy(res.dir);
    const reqs = server.log.filter((r) => r.file === 'image_encoder.onnx');
    expect(reqs.map((r) => [r.range !== null, r.status])).toEqual([
      [false, 200],
      [true, 200],
    ]);
  });

  test('retries a 503 with backoff', async () => {
    const res = await downloadPack(entryFor(server.base, 'flaky', files), { modelsDir, ...fast });
    expectInstalledCopy(res.dir);
    expect(server.log.filter((r) => r.status === 503).length).toBe(PACK_FILES.length);
  });

  test('cancel keeps the partial files; the next call resumes where it stopped', async () => {
    const entry = entryFor(server.base, 'slow', files);
    const ac = new AbortController();
    await expectFailure(
      downloadPack(entry, {
        modelsDir,
        ...fast,
        signal: ac.signal,
        onProgress: (p) => {
          if (p.file === 'mask_decoder.onnx' && p.bytes > 2_000_000) ac.abort();
        },
      }),
      'CANCELLED',
      /cancelled/,
    );
    expect(existsSync(join(modelsDir, 'micro-test'))).toBe(false);
    const [dir] = staging();
    expect(dir).toBeDefined();
    expect(readdirSync(join(modelsDir, dir!))).toContain('mask_decoder.onnx.part');
    server.log.length = 0;
    const res = await downloadPack(entry, { modelsDir, ...fast });
    expectInstalledCopy(res.dir);
    expect(staging()).toEqual([]);
    // finished files are not fetched again; the cut one continues with a Range request
    expect(server.log.some((r) => r.file === 'image_encoder.onnx')).toBe(false);
    const resumed = server.log.find((r) => r.file === 'mask_decoder.onnx')!;
    expect(resumed.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(resumed.status).toBe(206);
  });

  test('a truncated file on the server fails with SIZE_MISMATCH and installs nothing', async () => {
    const entry = entryFor(server.base, 'ok', files, { modes: { 'params.bin': 'truncated' } });
    await expectFailure(downloadPack(entry, { modelsDir, ...fast }), 'SIZE_MISMATCH', /params\.bin: the server's file has \d+ bytes, the catalog says 35908/);
    expect(existsSync(join(modelsDir, 'micro-test'))).toBe(false);
    expect(staging()).toEqual([]);
  });

  test('a body that ends early without Content-Length fails with SIZE_MISMATCH', async () => {
    const entry = entryFor(server.base, 'ok', files, { modes: { 'memory_encoder.onnx': 'short-chunked' } });
    await expectFailure(downloadPack(entry, { modelsDir, ...fast }), 'SIZE_MISMATCH', /memory_encoder\.onnx: the server's file ends at \d+ bytes/);
    expect(existsSync(join(modelsDir, 'micro-test'))).toBe(false);
  });

  test('a wrong hash fails with SHA256_MISMATCH naming the file, and keeps an older install', async () => {
    await downloadPack(entryFor(server.base, 'ok', files), { modelsDir, ...fast });
    const bad = entryFor(server.base, 'ok', files, { sha256: { 'image_encoder.onnx': 'ab'.repeat(32) } });
    await expectFailure(
      downloadPack(bad, { modelsDir, ...fast }),
      'SHA256_MISMATCH',
      /image_encoder\.onnx: sha256 of the download is [0-9a-f]{64}, the catalog says (ab){32}/,
    );
    expectInstalledCopy(join(modelsDir, 'micro-test'));
    expect(staging()).toEqual([]);
  });

  test('a pack without one of its graphs is refused by the engine loader', async () => {
    const entry = entryFor(server.base, 'ok', files, { omit: ['memory_attention.onnx'] });
    await expectFailure(
      downloadPack(entry, { modelsDir, ...fast }),
      'FILE_MISSING',
      /downloaded pack "Micro test pack" is not valid: memory_attention\.onnx is missing/,
    );
    expect(existsSync(join(modelsDir, 'micro-test'))).toBe(false);
    expect(staging()).toEqual([]);
  });

  test('a pack whose model.json has another format_version is refused', async () => {
    const manifest = JSON.parse(files.get('model.json')!.toString('utf8'));
    const served = new Map(files);
    served.set('model.json', Buffer.from(JSON.stringify({ ...manifest, format_version: 2 })));
    const other = await startPackServer(served);
    try {
      await expectFailure(
        downloadPack(entryFor(other.base, 'ok', served), { modelsDir, ...fast }),
        'FORMAT_VERSION',
        /format_version is 2, this engine reads version 1 only/,
      );
    } finally {
      await other.close();
    }
    expect(existsSync(join(modelsDir, 'micro-test'))).toBe(false);
    expect(staging()).toEqual([]);
  });

  test('a catalog entry of another format version is refused before any request', async () => {
    await expectFailure(downloadPack(entryFor(server.base, 'ok', files, { formatVersion: 2 }), { modelsDir, ...fast }), 'PACK_FORMAT', /format version 2/);
    expect(server.log).toEqual([]);
  });

  test('HTTP 404 fails with the status and the URL', async () => {
    const entry = entryFor(server.base, 'ok', files, { modes: { 'mask_decoder.onnx': 'missing' } });
    const err = await expectFailure(
      downloadPack(entry, { modelsDir, ...fast }),
      'HTTP_STATUS',
      /mask_decoder\.onnx: HTTP 404 \(http:\/\/127\.0\.0\.1:\d+\/missing\/mask_decoder\.onnx\)/,
    );
    expect(err.details.status).toBe(404);
    expect(existsSync(join(modelsDir, 'micro-test'))).toBe(false);
  });

  test('an unreachable server fails with NETWORK after the retries and keeps the staging folder', async () => {
    const entry = entryFor('http://127.0.0.1:9', 'ok', files);
    const err = await expectFailure(downloadPack(entry, { modelsDir, retries: 1, backoffMs: 5 }), 'NETWORK', /model\.json: download failed after 2 attempts/);
    expect(err.details.staging).toMatch(/\.incoming-micro-test-[0-9a-f]{8}$/);
    expect(existsSync(join(modelsDir, 'micro-test'))).toBe(false);
  });

  test('a newer download replaces the installed pack', async () => {
    await downloadPack(entryFor(server.base, 'ok', files), { modelsDir, ...fast });
    const manifest = JSON.parse(files.get('model.json')!.toString('utf8'));
    const served = new Map(files);
    served.set('model.json', Buffer.from(JSON.stringify({ ...manifest, name: 'Micro v2' }, null, 1)));
    const other = await startPackServer(served);
    try {
      const res = await downloadPack(entryFor(other.base, 'ok', served), { modelsDir, ...fast });
      expect(res.pack.name).toBe('Micro v2');
    } finally {
      await other.close();
    }
    expect(JSON.parse(readFileSync(join(modelsDir, 'micro-test', 'model.json'), 'utf8')).name).toBe('Micro v2');
    expect(readdirSync(modelsDir).filter((x) => x.startsWith('.'))).toEqual([]);
  });

  test('a catalog entry made from a pack folder downloads that pack', async () => {
    const raw = await makeCatalogEntry(microPackDir(), { baseUrl: `${server.base}/ok`, description: 'hosted micro pack' });
    expect(raw).toMatchObject({ id: 'sam-2.1-micro-test-fixture-random-weights', format_version: 1, description: 'hosted micro pack' });
    const [entry] = parseCatalog({ catalog_version: 1, entries: [raw] }, 'generated catalog');
    expect(entry!.files.map((f) => f.name)).toEqual([
      'model.json',
      'image_encoder.onnx',
      'mask_decoder.onnx',
      'memory_attention.onnx',
      'memory_encoder.onnx',
      'params.bin',
    ]);
    const res = await downloadPack(entry!, { modelsDir, ...fast });
    expectInstalledCopy(res.dir);
  });
});
