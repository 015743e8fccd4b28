// Parity of the zero-shot labeller with the clip-micro goldens (transformers + torch, float32):
// token ids exact; strict path (golden pixel_values and input_ids) embeddings ≤ 1e-4 and
// probabilities ≤ 1e-5; end to end from the raw images: crops byte-exact to crop_u8_ref and
// probabilities ≤ 1e-5. Tolerances as the fixture's README documents them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClipModel, ZeroShotLabeller, l2NormalizeRows, normalizeLabelSet, resizeAndCrop, shortSideSize, zeroShotProbs } from '../../../src-main/core/labels';
import { CLIP_MICRO, loadClipGolden, maxAbsDiff } from './clip-golden';

const g = loadClipGolden();
const N = g.json.images.length;
const L = g.json.labels.length;
const images = g.json.images.map((im) => ({ width: im.width, height: im.height, data: g.u8(`images/${im.index}/rgb_u8`) }));
let model: ClipModel;

beforeAll(async () => {
  model = await ClipModel.open(CLIP_MICRO, { threads: 1 });
});
afterAll(async () => model?.dispose());

describe('tokenizer (@huggingface/tokenizers on tokenizer.json)', () => {
  it.each(g.json.tokenizer.checks.map((c) => [c.text, c.ids] as const))('%j → exact ids', (text, ids) => {
    expect(model.tokenizer.encode(text)).toEqual(ids);
  });

  it('pads the prompts to the longest with 49407 exactly as the golden input_ids', () => {
    const b = model.tokenizer.batch(g.json.prompts);
    expect(g.shape('text/input_ids')).toEqual([b.rows, b.length]);
    expect(Array.from(b.ids)).toEqual(Array.from(g.i64('text/input_ids')));
    expect(Array.from(b.mask)).toEqual(Array.from(g.i64('text/attention_mask')));
  });
});

describe('preprocessing', () => {
  it.each(g.json.images.map((im) => [im.index, im.width, im.height] as const))('image %i (%ix%i): resized size and crop_u8_ref byte for byte', (i) => {
    const per = g.json.preprocess.per_image[i]!;
    const s = shortSideSize(images[i]!.width, images[i]!.height, 224);
    expect([s.height, s.width]).toEqual(per.resized_hw);
    const crop = resizeAndCrop(images[i]!, model.folder.preprocess);
    const ref = g.u8('preprocess/crop_u8_ref').subarray(i * 224 * 224 * 3, (i + 1) * 224 * 224 * 3);
    expect(Buffer.compare(Buffer.from(crop), Buffer.from(ref))).toBe(0);
  });
});

describe('strict path: golden pixel_values and prompts', () => {
  it('image_embeds ≤ 1e-4, text_embeds ≤ 1e-4, probabilities ≤ 1e-5', async () => {
    const img = await model.embedPixels(g.f32('preprocess/pixel_values'), N);
    expect(maxAbsDiff(img, g.f32('vision/image_embeds'))).toBeLessThanOrEqual(1e-4);
    const txt = await model.embedTexts(g.json.prompts);
    expect(maxAbsDiff(txt, g.f32('text/text_embeds'))).toBeLessThanOrEqual(1e-4);
    expect(maxAbsDiff(l2NormalizeRows(img.slice(), model.dim), g.f32('vision/image_embeds_normalized'))).toBeLessThanOrEqual(1e-4);
    expect(model.logitScale).toBeCloseTo(100, 4);
    const probs = zeroShotProbs(l2NormalizeRows(img, model.dim), l2NormalizeRows(txt, model.dim), model.dim, model.logitScale);
    expect(probs.length).toBe(N * L);
    expect(maxAbsDiff(probs, g.f32('zeroshot/probs'))).toBeLessThanOrEqual(1e-5);
  });
});

describe('end to end from the raw images', () => {
  it('ZeroShotLabeller with the golden template: probabilities ≤ 1e-5 and the same argmax', async () => {
    const labeller = new ZeroShotLabeller(model);
    const set = normalizeLabelSet(g.json.labels, [g.json.prompt_template]);
    const scored = await labeller.classifyImages(images, set);
    const probs = new Float32Array(N * L);
    scored.forEach((s, i) => probs.set(s.probs, i * L));
    const golden = g.f32('zeroshot/probs');
    expect(maxAbsDiff(probs, golden)).toBeLessThanOrEqual(1e-5);
    for (let i = 0; i < N; i++) {
      const row = Array.from(golden.subarray(i * L, (i + 1) * L));
      expect(scored[i]!.ranked[0]!.label).toBe(g.json.labels[row.indexOf(Math.max(...row))]);
    }
  });

  it('the {label} template gives the same prompts as the golden one', () => {
    const a = normalizeLabelSet(['dog'], ['a photo of a {label}.']);
    expect(a.templates[0]!.replace('{label}', 'dog')).toBe(g.json.prompts[0]);
  });
});
