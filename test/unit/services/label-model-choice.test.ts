// Which label model and variant labelling uses (services/label-model-choice.ts), as tables.
import { describe, expect, it } from 'vitest';
import type { LabelModelSummary, LabelModelVariant } from '../../../src-main/api/contract';
import { asLabelModelChoice, chooseLabelModel, pickVariant } from '../../../src-main/services/label-model-choice';

const model = (id: string, variants: LabelModelVariant[], problem: string | null = null): LabelModelSummary => ({
  id,
  dir: `/m/${id}`,
  name: id,
  variants,
  variantBytes: {},
  installedByApp: true,
  problem,
});

describe('pickVariant', () => {
  it.each([
    ['the wanted one when present', ['fp32', 'fp16', 'quantized'], 'quantized', 'quantized'],
    ['fp32 first when nothing is wanted', ['fp32', 'quantized'], null, 'fp32'],
    ['a missing wanted one falls back to fp32', ['fp32', 'quantized'], 'fp16', 'fp32'],
    ['fp16 before quantized without fp32', ['quantized', 'fp16'], 'fp32', 'fp16'],
    ['only quantized', ['quantized'], null, 'quantized'],
    ['none', [], 'fp32', null],
  ] as const)('%s', (_n, available, wanted, expected) => {
    expect(pickVariant(available, wanted)).toBe(expected);
  });
});

describe('chooseLabelModel', () => {
  const a = model('a', ['fp32', 'quantized']);
  const b = model('b', ['fp32', 'fp16']);
  const broken = model('broken', [], 'config.json is missing');
  it.each([
    ['the project remembers one: it wins over the app', [a, b], { id: 'b', variant: 'fp16' }, { id: 'a', variant: 'quantized' }, { id: 'b', variant: 'fp16' }],
    ['no project choice: the app one', [a, b], null, { id: 'a', variant: 'quantized' }, { id: 'a', variant: 'quantized' }],
    ['the project one was removed: the app one', [a], { id: 'b', variant: 'fp16' }, { id: 'a', variant: 'quantized' }, { id: 'a', variant: 'quantized' }],
    ['the remembered variant is gone: the model best variant', [a, b], { id: 'a', variant: 'fp16' }, null, { id: 'a', variant: 'fp32' }],
    ['a broken remembered model is passed over', [broken, b], { id: 'broken', variant: 'fp32' }, null, { id: 'b', variant: 'fp32' }],
    ['nothing remembered: the first usable', [broken, b, a], null, null, { id: 'b', variant: 'fp32' }],
    ['none usable', [broken], null, { id: 'broken', variant: 'fp32' }, null],
    ['none installed', [], { id: 'a', variant: 'fp32' }, null, null],
  ] as const)('%s', (_n, models, project, app, expected) => {
    expect(chooseLabelModel(models, project, app)).toEqual(expected);
  });
});

describe('asLabelModelChoice', () => {
  it.each([
    [
      { id: 'a', variant: 'fp16' },
      { id: 'a', variant: 'fp16' },
    ],
    [{ id: 'a', variant: 'int8' }, null],
    [{ variant: 'fp32' }, null],
    ['a', null],
    [null, null],
  ])('%j → %j', (v, expected) => {
    expect(asLabelModelChoice(v)).toEqual(expected);
  });
});
