// The exporter's fused memory attention is one com.microsoft::MultiHeadAttention node per
// attention. This checks that the onnxruntime-node the app ships runs that node on the CPU with
// the exporter's layout (3-D q/k/v, queries and keys of different lengths, one head, explicit
// scale, no mask) and that it equals MatMul -> Mul -> Softmax -> MatMul, the plain export.
import * as ort from 'onnxruntime-node';
import { describe, expect, test } from 'vitest';
import { attrFloat, attrInt, attrInts, model, node } from '../../../src-main/core/sam2/onnx-builder';
import { seededFloats } from '../../helpers/random';

const C = 64;
const SCALE = 1 / Math.sqrt(C);
const io: [string, (number | string)[]][] = [
  ['q', ['B', 'N', C]],
  ['k', ['B', 'M', C]],
  ['v', ['B', 'M', C]],
];
const out: [string, (number | string)[]][] = [['out', ['B', 'N', C]]];

const fused = model([node('MultiHeadAttention', ['q', 'k', 'v'], ['out'], [attrInt('num_heads', 1), attrFloat('scale', SCALE)], 'com.microsoft')], io, out, { '': 17, 'com.microsoft': 1 });
const plain = model(
  [
    node('Transpose', ['k'], ['kt'], [attrInts('perm', [0, 2, 1])]),
    node('MatMul', ['q', 'kt'], ['scores']),
    node('Constant', [], ['scale'], [attrFloat('value_float', SCALE)]),
    node('Mul', ['scores', 'scale'], ['scaled']),
    node('Softmax', ['scaled'], ['weights'], [attrInt('axis', -1)]),
    node('MatMul', ['weights', 'v'], ['out']),
  ],
  io,
  out,
);

describe('com.microsoft MultiHeadAttention in onnxruntime-node', () => {
  test.each([
    [1, 16, 16],
    [1, 16, 3 * 16 + 8], // three memory frames + two pointers of 4 tokens
    [2, 16, 16 + 0], // two objects, no pointers
    [1, 64, 7 * 64 + 64],
  ])('B=%i N=%i M=%i matches plain attention', async (B, N, M) => {
    const opts: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, graphOptimizationLevel: 'all' };
    const [a, b] = await Promise.all([ort.InferenceSession.create(fused, opts), ort.InferenceSession.create(plain, opts)]);
    const feeds = {
      q: new ort.Tensor('float32', seededFloats(B * N * C, 1 + N), [B, N, C]),
      k: new ort.Tensor('float32', seededFloats(B * M * C, 2 + M), [B, M, C]),
      v: new ort.Tensor('float32', seededFloats(B * M * C, 3 + M), [B, M, C]),
    };
    const x = (await a.run(feeds)).out!;
    const y = (await b.run(feeds)).out!;
    expect(x.dims).toEqual([B, N, C]);
    let maxDiff = 0;
    for (let i = 0; i < x.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs((x.data[i] as number) - (y.data[i] as number)));
    expect(maxDiff).toBeLessThan(1e-5);
    // not trivially equal inputs: the outputs carry signal
    expect(Math.max(...Array.from(x.data as Float32Array).map(Math.abs))).toBeGreaterThan(0.1);
    await Promise.all([a.release(), b.release()]);
  });
});
