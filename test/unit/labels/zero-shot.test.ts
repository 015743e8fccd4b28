import { describe, expect, it } from 'vitest';
import {
  cropForMask,
  cropRect,
  FILL_RGB,
  labelEmbeddings,
  logitScaleFromConfig,
  meanEmbedding,
  normalizeLabelSet,
  promptsFor,
  rankLabels,
  splitLabels,
  zeroShotProbs,
} from '../../../src-main/core/labels';
import { checkTower } from '../../../src-main/core/labels/signatures';
import { fromHalf, toHalf } from '../../../src-main/core/labels/fp16';
import { encodeMask } from '../../../src-main/core/masks/rle';

describe('logit scale rule', () => {
  it.each([
    ['logit_scale present: exp of it', { logit_scale: Math.log(100), logit_scale_init_value: 2.6592 }, 100],
    ['another trained value', { logit_scale: Math.log(50) }, 50],
    ['only logit_scale_init_value: not it, 100', { logit_scale_init_value: 2.6592 }, 100],
    ['neither: 100', {}, 100],
  ])('%s', (_n, config, expected) => {
    expect(logitScaleFromConfig(config)).toBeCloseTo(expected, 6);
  });
});

describe('label sets and prompts', () => {
  it('trims, drops empties and case-insensitive duplicates', () => {
    expect(normalizeLabelSet([' cat', 'Dog', '', 'cat ', 'dog']).labels).toEqual(['cat', 'Dog']);
    expect(splitLabels('cat, dog ,,red car')).toEqual(['cat', 'dog', 'red car']);
  });
  it.each([
    [[], undefined, /empty/],
    [['cat'], ['a photo'], /placeholder/],
    [['cat'], ['  '], /template/],
  ])('refuses %j / %j', (labels, templates, re) => {
    expect(() => normalizeLabelSet(labels as string[], templates as string[] | undefined)).toThrow(re);
  });
  it('prompts are label-major over the templates; {} and {label} both work', () => {
    expect(promptsFor(normalizeLabelSet(['cat', 'dog'], ['a {label}', 'the {}']))).toEqual(['a cat', 'the cat', 'a dog', 'the dog']);
  });
});

describe('embedding maths', () => {
  it('template averaging: normalise, mean, normalise', () => {
    const e = labelEmbeddings(new Float32Array([2, 0, 0, 3]), 2, 2);
    expect(Array.from(e)).toEqual([Math.fround(Math.SQRT1_2), Math.fround(Math.SQRT1_2)]);
  });
  it('track mean: normalised embeddings averaged', () => {
    const m = meanEmbedding(new Float32Array([10, 0, 0, 1]), 2);
    expect(m[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(m[1]).toBeCloseTo(Math.SQRT1_2, 6);
  });
  it('softmax(scale · cos) and ranking', () => {
    const p = zeroShotProbs(new Float32Array([1, 0]), new Float32Array([1, 0, 0, 1]), 2, 2);
    expect(p[0]! / p[1]!).toBeCloseTo(Math.exp(2), 5);
    expect(p[0]! + p[1]!).toBeCloseTo(1, 6);
    expect(rankLabels([0.2, 0.5, 0.3], ['a', 'b', 'c'], 2)).toEqual([
      { label: 'b', probability: 0.5 },
      { label: 'c', probability: 0.3 },
    ]);
  });
  it('fp16 round trip', () => {
    for (const v of [0, 1, -2.5, 65504, 1e-7, 0.1]) expect(fromHalf(toHalf(v))).toBeCloseTo(v, 3);
    expect(toHalf(1)).toBe(0x3c00);
  });
});

describe('crops from masks', () => {
  const W = 8;
  const H = 4;
  const frame = { width: W, height: H, data: Uint8Array.from({ length: W * H * 3 }, (_, i) => i % 251) };
  const bits = new Uint8Array(W * H);
  // an L shape inside x 2..4, y 1..2
  for (const [x, y] of [
    [2, 1],
    [3, 1],
    [4, 1],
    [2, 2],
  ])
    bits[y! * W + x!] = 1;
  const mask = encodeMask(bits, H, W);

  it.each([
    [[2, 1, 3, 2], 0, [2, 1, 3, 2]],
    [[2, 1, 3, 2], 0.5, [0, 0, 7, 4]],
    [[0, 0, 2, 2], 1, [0, 0, 4, 4]],
  ])('cropRect(%j, margin %f) = %j', (box, margin, expected) => {
    expect(cropRect(box as [number, number, number, number], margin as number, W, H)).toEqual(expected);
  });

  it('tutorial crop (no pad): the bbox pixels exactly', () => {
    const c = cropForMask(frame, mask, { padSquare: false })!;
    expect([c.width, c.height]).toEqual([3, 2]);
    expect(Array.from(c.data.subarray(0, 3))).toEqual(Array.from(frame.data.subarray((1 * W + 2) * 3, (1 * W + 2) * 3 + 3)));
  });
  it('padded to square with the fill colour, centred; grey-out outside the mask', () => {
    const c = cropForMask(frame, mask, { padSquare: true, greyOutside: true })!;
    expect([c.width, c.height]).toEqual([3, 3]);
    // 3x2 into 3x3: top offset floor(1/2) = 0, so the last row is padding; row 1 is y = 2,
    // where x = 2 is in the mask and x = 3 is not
    expect(Array.from(c.data.subarray(2 * 3 * 3, 3 * 3 * 3))).toEqual([...FILL_RGB, ...FILL_RGB, ...FILL_RGB]);
    expect(Array.from(c.data.subarray((1 * 3 + 0) * 3, (1 * 3 + 0) * 3 + 3))).toEqual(Array.from(frame.data.subarray((2 * W + 2) * 3, (2 * W + 2) * 3 + 3)));
    expect(Array.from(c.data.subarray((1 * 3 + 1) * 3, (1 * 3 + 1) * 3 + 3))).toEqual([...FILL_RGB]);
  });
  it('empty mask → null; wrong size → error', () => {
    expect(cropForMask(frame, encodeMask(new Uint8Array(W * H), H, W))).toBeNull();
    expect(() => cropForMask(frame, encodeMask(new Uint8Array(4), 2, 2))).toThrow(/mask is 2x2/);
  });
});

describe('tower signatures', () => {
  const t = (name: string, type: string, shape: (number | string)[]) => ({ name, type, shape, isTensor: true });
  it('vision: outputs by name, extra last_hidden_state allowed', () => {
    const io = checkTower(
      'vision',
      'v.onnx',
      [t('pixel_values', 'float32', ['b', 3, 224, 224])],
      [t('last_hidden_state', 'float32', ['b', 50, 64]), t('image_embeds', 'float32', ['b', 512])],
    );
    expect(io).toMatchObject({ output: 'image_embeds', dim: 512, attentionMask: null });
  });
  it('text: attention_mask input is recognised', () => {
    const io = checkTower(
      'text',
      't.onnx',
      [t('input_ids', 'int64', ['b', 's']), t('attention_mask', 'int64', ['b', 's'])],
      [t('text_embeds', 'float32', ['b', 'p'])],
    );
    expect(io).toMatchObject({ attentionMask: 'attention_mask', dim: null });
  });
  it.each([
    ['vision', [t('input', 'float32', [1, 3, 224, 224])], [t('image_embeds', 'float32', [1, 4])], /no input "pixel_values"/],
    ['vision', [t('pixel_values', 'float32', [1, 3, 224, 224])], [t('pooler_output', 'float32', [1, 4])], /no output "image_embeds"/],
    ['text', [t('input_ids', 'float32', [1, 7])], [t('text_embeds', 'float32', [1, 4])], /input_ids is float32/],
    ['text', [t('input_ids', 'int64', [1, 7]), t('position_ids', 'int64', [1, 7])], [t('text_embeds', 'float32', [1, 4])], /unexpected input "position_ids"/],
    ['vision', [t('pixel_values', 'float32', [1, 1, 224, 224])], [t('image_embeds', 'float32', [1, 4])], /1 channels/],
  ])('%s tower refused: %#', (tower, inputs, outputs, re) => {
    expect(() => checkTower(tower as 'vision' | 'text', 'g.onnx', inputs, outputs)).toThrow(re as RegExp);
  });
});
