// The ONNX op reader tells plain from fused memory attention without a session.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { attentionKindOf, onnxOps } from '../../../src-main/core/sam2/onnx-ops';
import { MICRO_PACK_DIR } from '../../fixtures/sam2-micro/golden';
import { attrFloat, attrInt, model, node } from '../../../src-main/core/sam2/onnx-builder';

describe('onnxOps', () => {
  test('reads op types and domains of a built graph in order', () => {
    const m = model(
      [
        node('Transpose', ['k'], ['kt']),
        node('MultiHeadAttention', ['q', 'kt', 'v'], ['out'], [attrInt('num_heads', 1), attrFloat('scale', 0.125)], 'com.microsoft'),
      ],
      [
        ['q', [1, 4, 8]],
        ['k', [1, 4, 8]],
        ['v', [1, 4, 8]],
      ],
      [['out', [1, 4, 8]]],
      { '': 17, 'com.microsoft': 1 },
    );
    expect(onnxOps(m)).toEqual([
      { opType: 'Transpose', domain: '' },
      { opType: 'MultiHeadAttention', domain: 'com.microsoft' },
    ]);
    expect(attentionKindOf(onnxOps(m))).toBe('fused');
  });

  test('the micro pack memory attention is the plain export', () => {
    const ops = onnxOps(readFileSync(join(MICRO_PACK_DIR, 'memory_attention.onnx')));
    expect(ops.filter((o) => o.opType === 'Softmax').length).toBeGreaterThan(0);
    expect(attentionKindOf(ops)).toBe('plain');
    if (process.env.DUMP_OPS) console.log(ops.map((o) => o.opType).join(' '));
  });

  test('a file that is not ONNX is refused', () => {
    expect(() => onnxOps(new TextEncoder().encode('{"not": "onnx"}'))).toThrow();
  });
});
