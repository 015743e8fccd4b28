import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, cpSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { checkGraphSignature, expectedSignatures } from '../../../src-main/core/sam2/graph-signatures';
import { parseManifest } from '../../../src-main/core/sam2/manifest';
import { loadPack } from '../../../src-main/core/sam2/pack';
import { createSessions } from '../../../src-main/core/sam2/sessions';
import { MICRO_PACK_DIR } from '../../fixtures/sam2-micro/golden';
import { tempDir } from '../../helpers/make-video';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function packCopy(): string {
  const t = tempDir('maskline-pack-');
  cleanups.push(t.cleanup);
  cpSync(MICRO_PACK_DIR, t.dir, { recursive: true });
  for (const f of ['model.json', 'params.bin', 'image_encoder.onnx', 'mask_decoder.onnx', 'memory_encoder.onnx', 'memory_attention.onnx'])
    chmodSync(join(t.dir, f), 0o644);
  return t.dir;
}
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
const writeManifest = (dir: string, m: unknown) => writeFileSync(join(dir, 'model.json'), JSON.stringify(m));
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('loadPack', () => {
  test('a valid pack loads with its params', async () => {
    const p = await loadPack(MICRO_PACK_DIR);
    expect(p.manifest.imageSize).toBe(256);
    expect(p.manifest.hiddenDim).toBe(128);
    expect(p.params.noMemoryEmbedding.length).toBe(128);
    expect(p.params.memoryTemporalPosEnc.length).toBe(7 * 64);
    expect(p.params.tposProjWeight.length).toBe(64 * 128);
    expect(p.params.maskDownsampleWeight.length).toBe(16);
    expect(typeof p.params.maskDownsampleBias).toBe('number');
  });

  test.each([
    { name: 'missing folder', code: 'PACK_MISSING', file: undefined, edit: (d: string) => rmSync(d, { recursive: true }) },
    { name: 'missing model.json', code: 'FILE_MISSING', file: 'model.json', edit: (d: string) => rmSync(join(d, 'model.json')) },
    { name: 'model.json not JSON', code: 'MANIFEST_INVALID', file: 'model.json', edit: (d: string) => writeFileSync(join(d, 'model.json'), '{"format": ') },
    {
      name: 'another format version',
      code: 'FORMAT_VERSION',
      file: 'model.json',
      edit: (d: string) => writeManifest(d, { ...manifestOf(d), format_version: 2 }),
    },
    { name: 'another format', code: 'FORMAT_VERSION', file: 'model.json', edit: (d: string) => writeManifest(d, { ...manifestOf(d), format: 'sam2-onnx' }) },
    { name: 'a missing graph file', code: 'FILE_MISSING', file: 'memory_attention.onnx', edit: (d: string) => rmSync(join(d, 'memory_attention.onnx')) },
    { name: 'a truncated graph', code: 'SIZE_MISMATCH', file: 'image_encoder.onnx', edit: (d: string) => truncateSync(join(d, 'image_encoder.onnx'), 1000) },
    {
      name: 'a tampered graph (same size)',
      code: 'SHA256_MISMATCH',
      file: 'mask_decoder.onnx',
      edit: (d: string) => {
        const p = join(d, 'mask_decoder.onnx');
        const b = readFileSync(p);
        b[b.length - 100] ^= 0xff;
        writeFileSync(p, b);
      },
    },
    {
      name: 'a graph not listed under files',
      code: 'FILE_UNVERIFIED',
      file: 'memory_encoder.onnx',
      edit: (d: string) => {
        const m = manifestOf(d);
        delete m.files['memory_encoder.onnx'];
        writeManifest(d, m);
      },
    },
    {
      name: 'a params tensor missing from the index',
      code: 'PARAM_MISSING',
      file: 'params.bin',
      edit: (d: string) => {
        const m = manifestOf(d);
        delete m.params.tensors.no_object_pointer;
        writeManifest(d, m);
      },
    },
    {
      name: 'a params tensor with the wrong shape',
      code: 'PARAM_INVALID',
      file: 'params.bin',
      edit: (d: string) => {
        const m = manifestOf(d);
        m.params.tensors.tpos_proj_weight.shape = [64, 256];
        writeManifest(d, m);
      },
    },
    {
      name: 'a params tensor past the end of params.bin',
      code: 'PARAM_INVALID',
      file: 'params.bin',
      edit: (d: string) => {
        const m = manifestOf(d);
        m.params.tensors.mask_downsample_bias.offset = 35908;
        writeManifest(d, m);
      },
    },
  ])('$name → $code', async ({ code, file, edit }) => {
    const dir = packCopy();
    edit(dir);
    const err = await loadPack(dir).then(
      () => null,
      (e) => e,
    );
    expect(err).toMatchObject({ name: 'PackError', code });
    if (file) {
      expect(err.file).toBe(file);
      expect(err.message).toContain(file);
    }
  });

  test("a graph with another graph's signature is refused when the sessions open", async () => {
    const dir = packCopy();
    // pass the memory encoder off as the mask decoder, with a matching size and hash
    copyFileSync(join(dir, 'memory_encoder.onnx'), join(dir, 'mask_decoder.onnx'));
    const m = manifestOf(dir);
    m.files['mask_decoder.onnx'] = { bytes: readFileSync(join(dir, 'mask_decoder.onnx')).length, sha256: sha(join(dir, 'mask_decoder.onnx')) };
    writeManifest(dir, m);
    const pack = await loadPack(dir);
    await expect(createSessions(pack, { provider: 'cpu', threads: 1 })).rejects.toMatchObject({
      code: 'GRAPH_SIGNATURE',
      file: 'mask_decoder.onnx',
      message: expect.stringMatching(/mask_decoder\.onnx does not have the mask_decoder signature: input "image_embed" is missing/),
    });
  });

  test('cpu sessions report their provider per graph and a load time', async () => {
    const s = await createSessions(await loadPack(MICRO_PACK_DIR), { provider: 'cpu', threads: 1 });
    try {
      expect(s.providers).toEqual({ image_encoder: 'cpu', mask_decoder: 'cpu', memory_encoder: 'cpu', memory_attention: 'cpu' });
      expect(s.loadMs).toBeGreaterThan(0);
      expect(s.fallbackReason).toBeNull();
    } finally {
      await s.release();
    }
  });

  test('auto falls back to CPU when CUDA sessions cannot be created, and says why', async () => {
    const s = await createSessions(await loadPack(MICRO_PACK_DIR), { provider: 'auto', threads: 1 });
    try {
      // this machine has no CUDA libraries; a machine with them reports cuda for every graph
      const used = new Set(Object.values(s.providers));
      expect(used.size).toBe(1);
      if (used.has('cpu')) expect(s.fallbackReason).toMatch(/CUDA|no CUDA provider/);
    } finally {
      await s.release();
    }
  });
});

describe('manifest rules', () => {
  const base = () => manifestOf(MICRO_PACK_DIR);
  test.each([
    { name: 'feat_size not image_size/16', edit: (m: any) => (m.feat_size = 32), msg: /feat_size/ },
    { name: 'hidden_dim not a multiple of mem_dim', edit: (m: any) => (m.mem_dim = 48), msg: /multiple of mem_dim/ },
    { name: 'a graph path outside the pack', edit: (m: any) => (m.graphs.image_encoder = '../x.onnx'), msg: /inside the pack/ },
    { name: 'a non-numeric field', edit: (m: any) => (m.num_maskmem = '7'), msg: /num_maskmem/ },
    { name: 'a bad sha256', edit: (m: any) => (m.files['params.bin'].sha256 = 'abc'), msg: /64 hex digits/ },
    { name: 'max_cond_frames_in_attn 1', edit: (m: any) => (m.max_cond_frames_in_attn = 1), msg: /max_cond_frames_in_attn/ },
  ])('$name', ({ edit, msg }) => {
    const m = base();
    edit(m);
    expect(() => parseManifest(m)).toThrow(expect.objectContaining({ code: 'MANIFEST_INVALID', message: expect.stringMatching(msg) }));
  });
});

describe('graph signature check', () => {
  const spec = expectedSignatures(parseManifest(manifestOf(MICRO_PACK_DIR))).memory_encoder;
  const good = () => ({
    inputs: [
      { name: 'vision_feat', isTensor: true, type: 'float32', shape: ['B', 128, 16, 16] },
      { name: 'mask_logits', isTensor: true, type: 'float32', shape: ['B', 1, 64, 64] },
      { name: 'object_score_logits', isTensor: true, type: 'float32', shape: ['B', 1] },
      { name: 'binarize', isTensor: true, type: 'float32', shape: ['B'] },
    ] as any[],
    outputs: [
      { name: 'maskmem_features', isTensor: true, type: 'float32', shape: ['B', 64, 16, 16] },
      { name: 'maskmem_pos_enc', isTensor: true, type: 'float32', shape: ['B', 'x', 'y', 'z'] },
    ] as any[],
  });
  test('accepts the contract (flags may be any numeric type)', () => {
    const g = good();
    g.inputs[3].type = 'int32';
    expect(() => checkGraphSignature('m.onnx', 'memory_encoder', spec, g.inputs, g.outputs)).not.toThrow();
  });
  test.each([
    { name: 'a missing input', edit: (g: any) => g.inputs.splice(1, 1), msg: /input "mask_logits" is missing/ },
    { name: 'a wrong rank', edit: (g: any) => (g.inputs[0].shape = ['B', 128, 256]), msg: /"vision_feat" has rank 3, expected 4/ },
    { name: 'a wrong dtype', edit: (g: any) => (g.inputs[2].type = 'float16'), msg: /"object_score_logits" has type float16/ },
    { name: 'a wrong fixed dim', edit: (g: any) => (g.outputs[0].shape = ['B', 32, 16, 16]), msg: /"maskmem_features" dim 1 is 32, expected 64/ },
    { name: 'an extra input', edit: (g: any) => g.inputs.push({ name: 'extra', isTensor: true, type: 'float32', shape: [1] }), msg: /unexpected input/ },
    { name: 'a missing output', edit: (g: any) => g.outputs.pop(), msg: /output "maskmem_pos_enc" is missing/ },
  ])('$name', ({ edit, msg }) => {
    const g = good();
    edit(g);
    expect(() => checkGraphSignature('m.onnx', 'memory_encoder', spec, g.inputs, g.outputs)).toThrow(
      expect.objectContaining({ code: 'GRAPH_SIGNATURE', file: 'm.onnx', message: expect.stringMatching(msg) }),
    );
  });
});
