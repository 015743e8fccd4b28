// The attention rewrite (fuse-attention.ts) on the forms torch's export writes, and the image
// encoder the engine opens on each provider (encoder-graph.ts): each fused graph must give the
// plain graph's outputs, and whatever is not an attention must be left as it is.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, test } from 'vitest';
import { encoderGraphFor } from '../../../src-main/core/sam2/encoder-graph';
import { fuseAttention } from '../../../src-main/core/sam2/fuse-attention';
import { attrFloat, attrInt, attrInts, model, node, proto } from '../../../src-main/core/sam2/onnx-builder';
import { attentionKindOf, onnxOps } from '../../../src-main/core/sam2/onnx-ops';
import { loadPack } from '../../../src-main/core/sam2/pack';
import { openGraph } from '../../../src-main/core/sam2/sessions';
import { MICRO_PACK_DIR } from '../../fixtures/sam2-micro/golden';
import { seededFloats } from '../../helpers/random';

const EDGETAM_MICRO_PACK = join(__dirname, '..', '..', 'fixtures', 'edgetam-micro', 'pack');
const tmp = mkdtempSync(join(tmpdir(), 'maskline-fuse-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const H = 4;
const D = 8;
const SCALE = 1 / Math.sqrt(D);

/** A Constant holding one float as a tensor, as torch's export writes the attention scale. */
function scaleConstant(v: number): number[] {
  const raw = Buffer.alloc(4);
  raw.writeFloatLE(v);
  const tensor = [...proto.int(2, 1), ...proto.bytes(9, [...raw])];
  return node('Constant', [], ['scale'], [[...proto.str(1, 'value'), ...proto.bytes(5, tensor), ...proto.int(20, 4)]]);
}

type Form = 'hiera' | 'memory' | 'half-cast' | 'scores-used-twice' | 'scale-as-attribute' | 'v-not-transposed';

/**
 * Attention on [B, S, heads, d] inputs as torch exports it. hiera: kᵀ by one Transpose(0,2,3,1)
 * and two casts to float after the softmax (transformers' Hiera); memory: kᵀ by
 * Transpose(0,1,3,2) of k in [B, heads, S, d] (SAM 2's memory attention). The two forms that
 * left as they are: a cast to float16 after the softmax, scores another node reads too, a
 * scale the rewrite does not read (a value_float attribute), and v of a rank the rewrite cannot
 * see (not from a 4-D transpose).
 */
function attentionGraph(form: Form, externalWeights?: string): Uint8Array {
  const nodes: number[][] = [
    node('Transpose', ['q'], ['q4'], [attrInts('perm', [0, 2, 1, 3])]),
    form === 'v-not-transposed' ? node('Identity', ['v_bhsd'], ['v4']) : node('Transpose', ['v'], ['v4'], [attrInts('perm', [0, 2, 1, 3])]),
  ];
  if (form === 'memory') {
    nodes.push(node('Transpose', ['k'], ['k4'], [attrInts('perm', [0, 2, 1, 3])]));
    nodes.push(node('Transpose', ['k4'], ['kT'], [attrInts('perm', [0, 1, 3, 2])]));
  } else nodes.push(node('Transpose', ['k'], ['kT'], [attrInts('perm', [0, 2, 3, 1])]));
  nodes.push(
    node('MatMul', ['q4', 'kT'], ['scores']),
    form === 'scale-as-attribute' ? node('Constant', [], ['scale'], [attrFloat('value_float', SCALE)]) : scaleConstant(SCALE),
    node('Mul', ['scores', 'scale'], ['scaled']),
    node('Softmax', ['scaled'], ['probs'], [attrInt('axis', -1)]),
  );
  let probs = 'probs';
  if (form === 'hiera' || form === 'scores-used-twice') {
    nodes.push(node('Cast', ['probs'], ['c1'], [attrInt('to', 1)]), node('Cast', ['c1'], ['c2'], [attrInt('to', 1)]));
    probs = 'c2';
  } else if (form === 'half-cast') {
    nodes.push(node('Cast', ['probs'], ['h'], [attrInt('to', 10)]), node('Cast', ['h'], ['c2'], [attrInt('to', 1)]));
    probs = 'c2';
  }
  nodes.push(node('MatMul', [probs, 'v4'], ['o4']), node('Transpose', ['o4'], ['out'], [attrInts('perm', [0, 2, 1, 3])]));
  const outputs: [string, (number | string)[]][] = [['out', ['B', 'S', H, D]]];
  if (form === 'scores-used-twice') {
    nodes.push(node('ReduceMax', ['scaled'], ['peak'], [attrInt('keepdims', 0)]));
    outputs.push(['peak', []]);
  }
  // out · w, with w in a file beside the graph: the rewrite must keep the initializer and its reference
  if (externalWeights) {
    nodes.push(node('Mul', ['out', 'w'], ['weighted']));
    outputs.push(['weighted', ['B', 'S', H, D]]);
  }
  const io: [string, (number | string)[]][] = [
    ['q', ['B', 'S', H, D]],
    ['k', ['B', 'T', H, D]],
    form === 'v-not-transposed' ? ['v_bhsd', ['B', H, 'T', D]] : ['v', ['B', 'T', H, D]],
  ];
  return model(nodes, io, outputs, { '': 17 }, externalWeights ? [{ name: 'w', dims: [D], location: externalWeights, offset: 0 }] : []);
}

async function run(graph: Uint8Array | string, feeds: Record<string, ort.Tensor>, extra?: Record<string, unknown>) {
  const s = await ort.InferenceSession.create(graph as never, { intraOpNumThreads: 1, graphOptimizationLevel: 'all', ...(extra ? { extra } : {}) });
  try {
    const out = await s.run(feeds);
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.data as Float32Array]));
  } finally {
    await s.release();
  }
}

const maxAbs = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

const feeds = (B: number, S: number, T: number, form?: Form) => ({
  q: new ort.Tensor('float32', seededFloats(B * S * H * D, 1), [B, S, H, D]),
  k: new ort.Tensor('float32', seededFloats(B * T * H * D, 2), [B, T, H, D]),
  ...(form === 'v-not-transposed'
    ? { v_bhsd: new ort.Tensor('float32', seededFloats(B * T * H * D, 3), [B, H, T, D]) }
    : { v: new ort.Tensor('float32', seededFloats(B * T * H * D, 3), [B, T, H, D]) }),
});

describe('fuseAttention', () => {
  test.each([
    ['hiera', 1],
    ['memory', 1],
    ['half-cast', 0],
    ['scores-used-twice', 0],
    ['scale-as-attribute', 0],
    ['v-not-transposed', 0],
  ] as const)('%s form: %i fused, outputs unchanged', async (form, expected) => {
    const plain = attentionGraph(form);
    const { bytes, fused } = fuseAttention(plain);
    expect(fused).toBe(expected);
    expect(attentionKindOf(onnxOps(bytes))).toBe(expected ? 'fused' : 'plain');
    for (const [B, S, T] of [
      [1, 16, 16],
      [3, 5, 12], // several windows, queries and keys of different lengths
    ] as const) {
      const f = feeds(B, S, T, form);
      const [a, b] = await Promise.all([run(plain, f), run(bytes, f)]);
      for (const k of Object.keys(a)) expect(maxAbs(a[k]!, b[k]!), `${form} ${k} B=${B} S=${S} T=${T}`).toBeLessThan(1e-5);
    }
  });

  test('a graph with no attention comes back as it was', () => {
    const g = model([node('Relu', ['x'], ['y'])], [['x', [4]]], [['y', [4]]]);
    const { bytes, fused } = fuseAttention(g);
    expect(fused).toBe(0);
    expect(onnxOps(bytes).map((o) => o.opType)).toEqual(['Relu']);
  });
});

describe('the image encoder each provider opens', () => {
  test('CPU: the micro pack encoder fused (7 attentions), its outputs those of the pack graph', async () => {
    const pack = await loadPack(MICRO_PACK_DIR, { verifyHashes: false });
    expect(fuseAttention(readFileSync(pack.graphPaths.image_encoder)).fused).toBe(7);
    const cpu = encoderGraphFor(pack, 'cpu');
    expect(cpu.kind).toBe('fused');
    if (typeof cpu.graph === 'string') throw new Error('expected bytes');
    expect(fuseAttention(cpu.graph.bytes).fused).toBe(0); // nothing left to fuse
    // its embedded weights are referred to inside the pack's file, not copied into the rewrite
    const file = readFileSync(pack.graphPaths.image_encoder).length;
    expect(cpu.graph.bytes.length).toBeLessThan(file / 4);
    expect(cpu.graph.externalDataDir).toBe(MICRO_PACK_DIR);
    const S = pack.manifest.imageSize;
    const pixels = new ort.Tensor('float32', seededFloats(3 * S * S, 7, 2), [1, 3, S, S]);
    const fused = await openGraph(cpu.graph, 'cpu', 1, 'all');
    const b = Object.fromEntries(Object.entries(await fused.run({ pixel_values: pixels })).map(([k, t]) => [k, t.data as Float32Array]));
    await fused.release();
    const a = await run(pack.graphPaths.image_encoder, { pixel_values: pixels });
    for (const k of Object.keys(a)) expect(maxAbs(a[k]!, b[k]!), k).toBeLessThan(1e-4);
  });

  test.each(['webgpu', 'cuda', 'dml', 'coreml'] as const)('%s: the pack graph as it is (fused attention is proven on the CPU only)', async (provider) => {
    const pack = await loadPack(MICRO_PACK_DIR, { verifyHashes: false });
    expect(encoderGraphFor(pack, provider)).toEqual({ kind: 'plain', graph: pack.graphPaths.image_encoder });
  });

  test('an encoder without attention (EdgeTAM) runs as it is', async () => {
    const pack = await loadPack(EDGETAM_MICRO_PACK, { verifyHashes: false });
    expect(encoderGraphFor(pack, 'cpu')).toEqual({ kind: 'plain', graph: pack.graphPaths.image_encoder });
  });

  test('an unreadable encoder is left for onnxruntime to report', () => {
    const path = join(tmp, 'broken.onnx');
    writeFileSync(path, Buffer.from([0xff, 0xff, 0xff]));
    const pack = { graphPaths: { image_encoder: path, mask_decoder: path, memory_encoder: path, memory_attention: path } };
    expect(encoderGraphFor(pack, 'cpu')).toEqual({ kind: 'plain', graph: path });
  });

  test('the fused bytes read their external weights from the pack folder, never the working directory', async () => {
    const dir = join(tmp, 'pack');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'encoder.weights.bin'), Buffer.from(seededFloats(D, 9).buffer));
    const path = join(dir, 'image_encoder.onnx');
    writeFileSync(path, attentionGraph('hiera', 'encoder.weights.bin'));
    const enc = encoderGraphFor({ graphPaths: { image_encoder: path, mask_decoder: path, memory_encoder: path, memory_attention: path } }, 'cpu');
    if (typeof enc.graph === 'string') throw new Error('expected bytes');
    expect(enc.graph.externalDataDir).toBe(dir);
    const f = feeds(2, 6, 6);
    const cwd = process.cwd();
    process.chdir(tmpdir());
    try {
      const fused = await openGraph(enc.graph, 'cpu', 1, 'all');
      const out = await fused.run(f);
      await fused.release();
      const a = await run(path, f);
      expect(maxAbs(a.weighted!, out.weighted!.data as Float32Array)).toBeLessThan(1e-5);
      // without the folder onnxruntime would look in the working directory; it refuses instead
      await expect(run(enc.graph.bytes, f)).rejects.toThrow(/external data/i);
    } finally {
      process.chdir(cwd);
    }
  });
});
