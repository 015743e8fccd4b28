// The two pack families (maskline-sam2, maskline-edgetam; edgetam-notes.md section 4): what each
// manifest must and must not say, and that a pack whose graphs do not match its family or its T
// is refused when the sessions open, naming the graph and the mismatch.
import { chmodSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { parseManifest } from '../../../src-main/core/sam2/manifest';
import { loadPack } from '../../../src-main/core/sam2/pack';
import { createSessions } from '../../../src-main/core/sam2/sessions';
import { EDGETAM_MICRO_PACK_DIR } from '../../fixtures/edgetam-micro/golden';
import { MICRO_PACK_DIR } from '../../fixtures/sam2-micro/golden';
import { tempDir } from '../../helpers/make-video';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
const EDGETAM_FIELDS = { memory_tokens_per_frame: 28, memory_latents_1d: 12, memory_latents_2d: 16, memory_bf16: false };

function packCopy(src: string, edit: (m: any) => void): string {
  const t = tempDir('maskline-pack-family-');
  cleanups.push(t.cleanup);
  cpSync(src, t.dir, { recursive: true });
  for (const f of ['model.json', 'params.bin', 'image_encoder.onnx', 'mask_decoder.onnx', 'memory_encoder.onnx', 'memory_attention.onnx'])
    chmodSync(join(t.dir, f), 0o644);
  const m = manifestOf(t.dir);
  edit(m);
  writeFileSync(join(t.dir, 'model.json'), JSON.stringify(m));
  return t.dir;
}

describe('family from the format', () => {
  test('a maskline-sam2 pack: h·w tokens per memory in planes, bf16 by default', () => {
    expect(parseManifest(manifestOf(MICRO_PACK_DIR))).toMatchObject({
      family: 'sam2',
      memoryTokensPerFrame: 256,
      memoryTokenMajor: false,
      memoryBf16: true,
      memoryLatents1d: 0,
      memoryLatents2d: 0,
    });
  });
  test('a maskline-sam2 pack may say memory_bf16 (absent means true)', () => {
    expect(parseManifest({ ...manifestOf(MICRO_PACK_DIR), memory_bf16: false }).memoryBf16).toBe(false);
  });
  test('a maskline-edgetam pack: T tokens per memory, token-major, its own memory_bf16', () => {
    expect(parseManifest(manifestOf(EDGETAM_MICRO_PACK_DIR))).toMatchObject({
      family: 'edgetam',
      format: 'maskline-edgetam',
      memoryTokensPerFrame: 28,
      memoryTokenMajor: true,
      memoryBf16: false,
      memoryLatents1d: 12,
      memoryLatents2d: 16,
    });
  });
  test('another format names both that this engine reads', () => {
    expect(() => parseManifest({ ...manifestOf(EDGETAM_MICRO_PACK_DIR), format: 'maskline-sam3' })).toThrow(
      expect.objectContaining({ code: 'FORMAT_VERSION', message: expect.stringMatching(/"maskline-sam2" and "maskline-edgetam"/) }),
    );
  });
});

describe('manifest fields of the other family are refused', () => {
  test.each([
    {
      name: 'a SAM 2.1 pack with EdgeTAM fields',
      dir: MICRO_PACK_DIR,
      edit: (m: any) => Object.assign(m, EDGETAM_FIELDS),
      msg: /"memory_tokens_per_frame", "memory_latents_1d", "memory_latents_2d" belong to "maskline-edgetam" packs/,
    },
    {
      name: 'a SAM 2.1 pack with only memory_tokens_per_frame',
      dir: MICRO_PACK_DIR,
      edit: (m: any) => (m.memory_tokens_per_frame = 256),
      msg: /"memory_tokens_per_frame" belong to "maskline-edgetam"/,
    },
    {
      name: 'an EdgeTAM pack without its fields (a SAM 2.1 manifest renamed)',
      dir: MICRO_PACK_DIR,
      edit: (m: any) => (m.format = 'maskline-edgetam'),
      msg: /needs "memory_tokens_per_frame", "memory_latents_1d", "memory_latents_2d", "memory_bf16"/,
    },
    { name: 'an EdgeTAM pack without memory_bf16', dir: EDGETAM_MICRO_PACK_DIR, edit: (m: any) => delete m.memory_bf16, msg: /needs "memory_bf16"/ },
    {
      name: 'latents that do not add up to T',
      dir: EDGETAM_MICRO_PACK_DIR,
      edit: (m: any) => (m.memory_latents_1d = 11),
      msg: /\(11\) \+ memory_latents_2d \(16\) must equal memory_tokens_per_frame \(28\)/,
    },
    {
      name: 'grid latents that are not a square',
      dir: EDGETAM_MICRO_PACK_DIR,
      edit: (m: any) => Object.assign(m, { memory_latents_1d: 13, memory_latents_2d: 15 }),
      msg: /memory_latents_2d \(15\) must be a square/,
    },
    { name: 'memory_bf16 not a boolean', dir: EDGETAM_MICRO_PACK_DIR, edit: (m: any) => (m.memory_bf16 = 'no'), msg: /"memory_bf16" must be true or false/ },
  ])('$name', ({ dir, edit, msg }) => {
    const m = manifestOf(dir);
    edit(m);
    expect(() => parseManifest(m)).toThrow(expect.objectContaining({ code: 'MANIFEST_INVALID', message: expect.stringMatching(msg) }));
  });
});

describe('graphs that do not match the family or T are refused when the sessions open', () => {
  test.each([
    {
      name: 'SAM 2.1 graphs under a maskline-edgetam manifest',
      src: MICRO_PACK_DIR,
      edit: (m: any) => Object.assign(m, { format: 'maskline-edgetam', ...EDGETAM_FIELDS }),
      msg: /memory_encoder\.onnx does not have the memory_encoder signature: output "maskmem_features" has rank 4, expected 3/,
    },
    {
      name: 'EdgeTAM graphs under a maskline-sam2 manifest',
      src: EDGETAM_MICRO_PACK_DIR,
      edit: (m: any) => {
        m.format = 'maskline-sam2';
        for (const k of ['memory_tokens_per_frame', 'memory_latents_1d', 'memory_latents_2d']) delete m[k];
      },
      msg: /memory_encoder\.onnx does not have the memory_encoder signature: output "maskmem_features" has rank 3, expected 4/,
    },
    {
      name: 'T in model.json inconsistent with the graphs',
      src: EDGETAM_MICRO_PACK_DIR,
      edit: (m: any) => Object.assign(m, { memory_tokens_per_frame: 32, memory_latents_1d: 16 }),
      msg: /output "maskmem_pos_enc" dim 1 is 28, expected 32/,
    },
  ])('$name', async ({ src, edit, msg }) => {
    const pack = await loadPack(packCopy(src, edit), { verifyHashes: false });
    await expect(createSessions(pack, { provider: 'cpu', threads: 1 })).rejects.toMatchObject({
      code: 'GRAPH_SIGNATURE',
      file: 'memory_encoder.onnx',
      message: expect.stringMatching(msg),
    });
  });
});
