// Importer on copies of the micro fixture pack: accepted packs are copied (only what model.json
// lists) under a sanitized unique id; invalid ones are refused with the engine loader's message
// and leave the models folder untouched.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { ModelsError } from '../../src-main/core/models/errors';
import { importPack } from '../../src-main/core/models/import';
import { listPacks } from '../../src-main/core/models/registry';
import { fuseAttention } from '../../src-main/core/sam2/fuse-attention';
import { copyMicroPack, PACK_FILES, readManifest, replaceListedFile, writeManifest } from '../unit/models/support/fixture-pack';

const root = mkdtempSync(join(tmpdir(), 'maskline-import-'));
let n = 0;
let src: string;
let modelsDir: string;

afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeEach(() => {
  const k = n++;
  src = copyMicroPack(join(root, `export-${k}`));
  modelsDir = join(root, `models-${k}`);
});

const ID = 'sam-2.1-micro-test-fixture-random-weights';

async function refused(code: string, text: RegExp): Promise<void> {
  const err = await importPack(src, { modelsDir }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelsError);
  expect((err as ModelsError).code).toBe(code);
  expect((err as ModelsError).message).toMatch(text);
  // refused means: nothing written, not even a staging folder
  expect(existsSync(modelsDir) ? readdirSync(modelsDir) : []).toEqual([]);
}

describe('importPack', () => {
  test('copies a valid pack under an id derived from its name, listed files only', async () => {
    mkdirSync(join(src, 'variants'));
    writeFileSync(join(src, 'variants', 'memory_attention.plain.onnx'), 'not part of the pack');
    writeFileSync(join(src, 'export-report.json'), '{}');
    const progress: number[] = [];
    const res = await importPack(src, { modelsDir, onProgress: (p) => progress.push(p.bytes) });
    expect(res).toMatchObject({ id: ID, dir: join(modelsDir, ID), alreadyInstalled: false });
    expect(readdirSync(res.dir).sort()).toEqual([...PACK_FILES].sort());
    for (const f of PACK_FILES) expect(readFileSync(join(res.dir, f)).equals(readFileSync(join(src, f)))).toBe(true);
    expect(readdirSync(modelsDir)).toEqual([ID]);
    expect(progress.at(-1)).toBe(PACK_FILES.reduce((a, f) => a + readFileSync(join(src, f)).length, 0));
    const [listed] = await listPacks([{ path: modelsDir, origin: 'user' }]);
    expect(listed).toMatchObject({ id: ID, verified: true, problem: null, imageSize: 256 });
  });

  test('importing the same folder twice is a no-op; a different pack with the same name gets a new id', async () => {
    await importPack(src, { modelsDir });
    const again = await importPack(src, { modelsDir });
    expect(again).toMatchObject({ id: ID, alreadyInstalled: true });
    const m = readManifest(src);
    writeManifest(src, { ...m, dynamic_multimask_stability_thresh: 0.9 });
    const other = await importPack(src, { modelsDir });
    expect(other).toMatchObject({ id: `${ID}-2`, alreadyInstalled: false });
    expect(readdirSync(modelsDir).sort()).toEqual([ID, `${ID}-2`]);
  });

  test('a Hub-style source names the pack after the repository', async () => {
    writeManifest(src, { ...readManifest(src), source: 'facebook/sam2.1-hiera-tiny' });
    expect((await importPack(src, { modelsDir })).id).toBe('sam2.1-hiera-tiny');
  });

  test('refuses a pack with a damaged file (sha256)', async () => {
    const p = join(src, 'params.bin');
    const buf = readFileSync(p);
    buf[100] ^= 0xff;
    writeFileSync(p, buf);
    await refused('SHA256_MISMATCH', /is not a valid model pack: params\.bin is damaged or was changed: sha256 [0-9a-f]{64}, model\.json says [0-9a-f]{64}/);
  });

  test('refuses a pack with a missing graph', async () => {
    unlinkSync(join(src, 'mask_decoder.onnx'));
    await refused('FILE_MISSING', /mask_decoder\.onnx is missing from the model pack/);
  });

  test('refuses a truncated graph', async () => {
    const p = join(src, 'memory_encoder.onnx');
    writeFileSync(p, readFileSync(p).subarray(0, 1000));
    await refused('SIZE_MISMATCH', /memory_encoder\.onnx is truncated: 1000 bytes, model\.json says \d+/);
  });

  test('refuses another format version', async () => {
    writeManifest(src, { ...readManifest(src), format_version: 2 });
    await refused('FORMAT_VERSION', /model\.json: format_version is 2, this engine reads version 1 only/);
  });

  test('refuses a graph that does not have its contract signature', async () => {
    // a consistent pack (sizes and hashes right) whose memory encoder is really an image encoder
    replaceListedFile(src, 'memory_encoder.onnx', readFileSync(join(src, 'image_encoder.onnx')));
    await refused('GRAPH_SIGNATURE', /memory_encoder\.onnx does not have the memory_encoder signature/);
  });

  test('a listed attention variant in variants/ is copied with the pack; other folders are refused', async () => {
    // the exporter lists the other attention graph as variants/memory_attention.<kind>.onnx (docs/gpu.md)
    const variant = Buffer.from(fuseAttention(readFileSync(join(src, 'memory_attention.onnx'))).bytes);
    mkdirSync(join(src, 'variants'));
    writeFileSync(join(src, 'variants', 'memory_attention.fused.onnx'), variant);
    const m = readManifest(src);
    m.files['variants/memory_attention.fused.onnx'] = { bytes: variant.length, sha256: createHash('sha256').update(variant).digest('hex') };
    writeManifest(src, m);
    const res = await importPack(src, { modelsDir });
    expect(readFileSync(join(res.dir, 'variants', 'memory_attention.fused.onnx')).equals(variant)).toBe(true);

    rmSync(modelsDir, { recursive: true, force: true });
    mkdirSync(join(src, 'other'));
    writeFileSync(join(src, 'other', 'x.bin'), 'x');
    m.files['other/x.bin'] = { bytes: 1, sha256: '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881' };
    writeManifest(src, m);
    await refused('MANIFEST_INVALID', /lists "other\/x\.bin" under "files"/);
  });

  test('refuses a model.json that lists files outside the pack', async () => {
    const m = readManifest(src);
    writeFileSync(join(root, 'outside.bin'), 'x');
    m.files['../outside.bin'] = { bytes: 1, sha256: '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881' };
    writeManifest(src, m);
    await refused('MANIFEST_INVALID', /lists "\.\.\/outside\.bin" under "files"/);
  });

  test('cancel during the copy leaves nothing behind', async () => {
    const ac = new AbortController();
    const err = await importPack(src, { modelsDir, signal: ac.signal, onProgress: (p) => p.bytes > 1_000_000 && ac.abort() }).then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as ModelsError).code).toBe('CANCELLED');
    expect(readdirSync(modelsDir)).toEqual([]);
  });

  test('refuses something that is not a folder', async () => {
    src = join(src, 'model.json');
    await refused('IMPORT_SOURCE', /not a folder/);
  });
});
