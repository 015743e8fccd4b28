// The label-model rows of the Models screen (lib/label-model-view.ts), as tables.
import { describe, expect, it } from 'vitest';
import type { LabelModelSummary, LabelModelVariant } from '../../../src-main/api/contract';
import { removeBlocked, rowVariant, variantOption } from '../../../src-renderer/src/lib/label-model-view';

const m = (id: string, variants: LabelModelVariant[], installedByApp = true): LabelModelSummary => ({
  id,
  dir: `/data/label-models/${id}`,
  name: id,
  variants,
  variantBytes: { fp32: 7_748_758, quantized: 2_000_000 },
  installedByApp,
  problem: null,
});

describe('rowVariant', () => {
  const a = m('a', ['fp32', 'quantized']);
  it.each([
    ['the model in use shows its active variant', { id: 'a', variant: 'quantized' }, undefined, 'quantized'],
    ['…even when another was picked before', { id: 'a', variant: 'quantized' }, 'fp32', 'quantized'],
    ['another model: what was picked on the row', { id: 'b', variant: 'fp32' }, 'quantized', 'quantized'],
    ['a pick the model lacks: its first', { id: 'b', variant: 'fp32' }, 'fp16', 'fp32'],
    ['nothing active, nothing picked: its first', null, undefined, 'fp32'],
  ] as const)('%s', (_n, active, picked, expected) => {
    expect(rowVariant(a, active, picked)).toBe(expected);
  });
  it('a model without variants shows none', () => {
    expect(rowVariant(m('x', []), null, undefined)).toBeNull();
  });
});

describe('variantOption and removeBlocked', () => {
  it.each([
    ['fp32', 'fp32 (full precision) · 7.4 MiB'],
    ['quantized', 'quantized (8-bit) · 1.9 MiB'],
    ['fp16', 'fp16 (half precision)'],
  ] as const)('%s → %s', (v, s) => {
    expect(variantOption(m('a', ['fp32', 'fp16', 'quantized']), v)).toBe(s);
  });
  it('only what the app imported can be removed', () => {
    expect(removeBlocked(m('a', ['fp32']))).toBeNull();
    expect(removeBlocked(m('h', ['fp32'], false))).toMatch(/\/data\/label-models\/h by hand/);
  });
});
