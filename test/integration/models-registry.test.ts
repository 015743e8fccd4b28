// Installed-pack listing over real folders: origins, broken packs with their problem, and the
// verification cache (a pack is hashed once; a changed size or mtime makes it hash again).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { modelsFolders } from '../../src-main/core/models/paths';
import { listPacks } from '../../src-main/core/models/registry';
import { copyMicroPack, replaceListedFile } from '../unit/models/support/fixture-pack';
import { choosePack } from '../../src-main/services/engine-choice';

const root = mkdtempSync(join(tmpdir(), 'maskline-registry-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('listPacks', () => {
  test('lists packs of every folder with origin, size, image size and problems', async () => {
    const userData = join(root, 'user');
    const repo = join(root, 'repo');
    const direct = copyMicroPack(join(root, 'direct-pack'));
    copyMicroPack(join(userData, 'models', 'good'));
    const broken = copyMicroPack(join(repo, 'models', 'broken'));
    const p = join(broken, 'mask_decoder.onnx');
    writeFileSync(p, readFileSync(p).subarray(0, 500));
    mkdirSync(join(userData, 'models', '.incoming-x-0123abcd'));
    mkdirSync(join(userData, 'models', 'not-a-pack'));
    const folders = modelsFolders({ userDataDir: userData, repoRoot: repo, env: { MASKLINE_MODELS: [direct, join(root, 'nowhere')].join(delimiter) } });
    const list = await listPacks(folders);
    expect(list.map((x) => [x.id, x.origin, x.verified])).toEqual([
      ['direct-pack', 'env', true],
      ['good', 'user', true],
      ['broken', 'repo', false],
    ]);
    expect(list[1]).toMatchObject({
      name: 'SAM 2.1 micro test fixture (random weights)',
      imageSize: 256,
      problem: null,
      dir: join(userData, 'models', 'good'),
    });
    expect(list[1]!.bytes).toBeGreaterThan(8_000_000);
    expect(list[2]!.problem).toMatch(/^mask_decoder\.onnx is truncated: 500 bytes, model\.json says \d+$/);
  });

  test('remembers hash results by size and mtime', async () => {
    const folder = join(root, 'cached');
    const pack = copyMicroPack(join(folder, 'p'));
    const cacheFile = join(root, 'verify-cache.json');
    const list = () => listPacks([{ path: folder, origin: 'user' }], { cacheFile });
    // whole seconds, so the timestamp can be put back exactly after the edit below
    const params = join(pack, 'params.bin');
    const stamp = 1_700_000_000;
    utimesSync(params, stamp, stamp);
    expect((await list())[0]).toMatchObject({ verified: true, problem: null });

    // same size, same mtime, different bytes: a cached result is trusted (no re-hash)
    const buf = readFileSync(params);
    buf[8] ^= 0x01;
    writeFileSync(params, buf);
    utimesSync(params, stamp, stamp);
    expect(statSync(params).mtimeMs).toBe(stamp * 1000);
    expect((await list())[0]).toMatchObject({ verified: true });

    // a new mtime invalidates the entry: hashed again, damage found
    utimesSync(params, stamp, stamp + 5);
    const [again] = await list();
    expect(again!.verified).toBe(false);
    expect(again!.problem).toMatch(/^params\.bin is damaged or was changed: sha256/);
  });

  test('hashes that match but a graph that does not load: broken with the reason, cached, never picked (issue 13)', async () => {
    const folder = join(root, 'graphs');
    copyMicroPack(join(folder, 'a-broken'));
    copyMicroPack(join(folder, 'b-good'));
    // a consistent manifest (size and sha256 match) over bytes onnxruntime cannot open
    replaceListedFile(join(folder, 'a-broken'), 'mask_decoder.onnx', Buffer.from('this is not an ONNX graph'.repeat(40)));
    const cacheFile = join(root, 'graphs-cache.json');
    const list = await listPacks([{ path: folder, origin: 'user' }], { cacheFile });
    expect(list.map((p) => [p.id, p.verified])).toEqual([
      ['a-broken', false],
      ['b-good', true],
    ]);
    expect(list[0]!.problem).toMatch(/^mask_decoder\.onnx could not be loaded/);
    // the result is remembered with the files' stamps: listed again without opening the graphs
    const cache = JSON.parse(readFileSync(cacheFile, 'utf8'));
    expect(cache.version).toBe(2);
    expect(cache.packs[join(folder, 'a-broken')]).toMatchObject({ ok: false, problem: list[0]!.problem });
    expect(cache.packs[join(folder, 'b-good')]).toMatchObject({ ok: true, problem: null });
    const again = await listPacks([{ path: folder, origin: 'user' }], { cacheFile });
    expect(again[0]).toMatchObject({ verified: false, problem: list[0]!.problem });
    // never auto-picked, even when the project remembers it
    expect(choosePack(list, 'a-broken').pack?.id).toBe('b-good');
    expect(choosePack([list[0]!], 'a-broken').pack).toBeNull();
  });

  test('hash: false lists unhashed packs as not verified, without a problem', async () => {
    const folder = join(root, 'nohash');
    copyMicroPack(join(folder, 'p'));
    expect(await listPacks([{ path: folder, origin: 'user' }], { hash: false })).toMatchObject([{ id: 'p', verified: false, problem: null }]);
  });

  test('the same folder name in two places gets distinct ids', async () => {
    const a = join(root, 'dup-a');
    const b = join(root, 'dup-b');
    copyMicroPack(join(a, 'same'));
    copyMicroPack(join(b, 'same'));
    const list = await listPacks([
      { path: a, origin: 'env' },
      { path: b, origin: 'user' },
    ]);
    expect(list.map((x) => x.id)).toEqual(['same', 'same-2']);
  });
});
