// Importing CLIP folders as label models: a valid folder is validated and copied (variants
// included), and broken ones are refused with the reason and nothing installed: a missing file,
// a graph with the wrong signature, towers whose embedding sizes differ, a bad tokenizer.json.
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { importLabelModel, listLabelModels, readActiveLabelModel, removeLabelModel, writeActiveLabelModel } from '../../src-main/core/models';
import { ClipModel } from '../../src-main/core/labels';
import { tempDir } from '../helpers/make-video';
import { CLIP_MICRO } from '../unit/labels/clip-golden';
import { attrInt, attrInts, model, node } from '../../src-main/core/sam2/onnx-builder';

const tmp = tempDir('maskline-label-models-');
afterAll(() => tmp.cleanup());
let n = 0;

function copyClip(alter?: (dir: string) => void): string {
  const dir = join(tmp.dir, `src-${++n}`, 'clip-micro');
  cpSync(CLIP_MICRO, dir, { recursive: true });
  alter?.(dir);
  return dir;
}

function installed(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder) : [];
}

/** A "vision tower" that answers image_embeds [B, 3] (the channel means): the wrong width. */
const narrowVision = () =>
  model(
    [node('ReduceMean', ['pixel_values'], ['image_embeds'], [attrInts('axes', [2, 3]), attrInt('keepdims', 0)])],
    [['pixel_values', ['batch_size', 3, 224, 224]]],
    [['image_embeds', ['batch_size', 3]]],
  );

describe('importLabelModel', () => {
  test('a valid folder: copied, listed, usable; variants present are kept; active model remembered', async () => {
    const folder = join(tmp.dir, 'models-ok');
    const src = copyClip((d) => {
      cpSync(join(d, 'onnx/vision_model.onnx'), join(d, 'onnx/vision_model_quantized.onnx'));
      cpSync(join(d, 'onnx/text_model.onnx'), join(d, 'onnx/text_model_quantized.onnx'));
      // only one tower of fp16: not a variant
      cpSync(join(d, 'onnx/vision_model.onnx'), join(d, 'onnx/vision_model_fp16.onnx'));
    });
    const info = await importLabelModel(src, { folder });
    expect(info).toMatchObject({ id: 'clip-micro', variants: ['fp32', 'quantized'], installedByApp: true, problem: null });
    // each variant's size is its two graphs
    const size = (f: string) => readFileSync(join(src, 'onnx', f)).length;
    expect(info.variantBytes).toEqual({
      fp32: size('vision_model.onnx') + size('text_model.onnx'),
      quantized: size('vision_model_quantized.onnx') + size('text_model_quantized.onnx'),
    });
    expect(readdirSync(join(info.dir, 'onnx')).sort()).toEqual([
      'text_model.onnx',
      'text_model_quantized.onnx',
      'vision_model.onnx',
      'vision_model_quantized.onnx',
    ]);
    expect(listLabelModels(folder).map((m) => [m.id, m.variants])).toEqual([['clip-micro', ['fp32', 'quantized']]]);
    const m = await ClipModel.open(info.dir, { variant: 'quantized', threads: 1 });
    expect(m.dim).toBe(32);
    await m.dispose();
    // a second import of the same name gets its own id; the source is untouched
    expect((await importLabelModel(src, { folder })).id).toBe('clip-micro-2');
    expect(existsSync(join(src, 'onnx/vision_model_fp16.onnx'))).toBe(true);
    expect(await readActiveLabelModel(folder)).toBeNull();
    await writeActiveLabelModel(folder, { id: 'clip-micro', variant: 'quantized' });
    expect(await readActiveLabelModel(folder)).toEqual({ id: 'clip-micro', variant: 'quantized' });
  });

  test.each([
    ['a missing file', (d: string) => rmSync(join(d, 'onnx/text_model.onnx')), /onnx\/text_model\.onnx is missing/],
    ['no tokenizer.json', (d: string) => rmSync(join(d, 'tokenizer.json')), /tokenizer\.json is missing/],
    [
      'a graph with the wrong signature',
      (d: string) =>
        writeFileSync(
          join(d, 'onnx/vision_model.onnx'),
          model([node('Identity', ['pixel_values'], ['embeds'])], [['pixel_values', ['b', 3, 224, 224]]], [['embeds', ['b', 3, 224, 224]]]),
        ),
      /no output "image_embeds"/,
    ],
    ['mismatched embedding sizes', (d: string) => writeFileSync(join(d, 'onnx/vision_model.onnx'), narrowVision()), /image_embeds has 3, text_embeds has 32/],
    ['tokenizer.json that is not JSON', (d: string) => writeFileSync(join(d, 'tokenizer.json'), '{ not json'), /tokenizer\.json in .* is not valid JSON/],
    [
      'tokenizer.json that is not a tokenizer',
      (d: string) => writeFileSync(join(d, 'tokenizer.json'), JSON.stringify({ version: '1.0', model: { type: 'Nope' } })),
      /tokenizer\.json (could not be loaded|does not tokenize)/,
    ],
    [
      'a config of another model type',
      (d: string) => writeFileSync(join(d, 'config.json'), JSON.stringify({ model_type: 'bert' })),
      /model_type "bert", not "clip"/,
    ],
  ])('refuses %s, installs nothing', async (_name, alter, re) => {
    const folder = join(tmp.dir, `models-bad-${n}`);
    const src = copyClip(alter);
    await expect(importLabelModel(src, { folder })).rejects.toThrow(re);
    expect(installed(folder).filter((x) => !x.startsWith('.'))).toEqual([]);
    expect(installed(folder).filter((x) => x.startsWith('.incoming-'))).toEqual([]);
  });

  test('relative paths and non-folders are refused', async () => {
    await expect(importLabelModel('clip-micro', { folder: join(tmp.dir, 'm') })).rejects.toThrow(/must be absolute/);
    await expect(importLabelModel(join(CLIP_MICRO, 'config.json'), { folder: join(tmp.dir, 'm') })).rejects.toThrow(/not a folder/);
  });
});

describe('removeLabelModel: only what the app installed', () => {
  test('an imported model is removed whole; the source stays', async () => {
    const folder = join(tmp.dir, 'models-rm');
    const src = copyClip();
    const info = await importLabelModel(src, { folder });
    await removeLabelModel(folder, info.id);
    expect(installed(folder).filter((x) => !x.startsWith('.'))).toEqual([]);
    expect(installed(folder)).toEqual([]);
    expect(existsSync(join(src, 'onnx/vision_model.onnx'))).toBe(true);
  });

  test('a folder copied in by hand is listed, usable, and never removed', async () => {
    const folder = join(tmp.dir, 'models-hand');
    mkdirSync(folder, { recursive: true });
    cpSync(CLIP_MICRO, join(folder, 'by-hand'), { recursive: true });
    expect(listLabelModels(folder)).toMatchObject([{ id: 'by-hand', installedByApp: false, problem: null }]);
    await expect(removeLabelModel(folder, 'by-hand')).rejects.toMatchObject({
      code: 'LABEL_MODEL_FOREIGN',
      message: expect.stringMatching(/was not installed by Maskline/),
    });
    expect(existsSync(join(folder, 'by-hand/onnx/vision_model.onnx'))).toBe(true);
  });

  test('an added or edited file makes the folder foreign: named, nothing removed', async () => {
    const folder = join(tmp.dir, 'models-edited');
    const a = await importLabelModel(copyClip(), { folder });
    writeFileSync(join(a.dir, 'notes.txt'), 'mine');
    await expect(removeLabelModel(folder, a.id)).rejects.toMatchObject({ code: 'LABEL_MODEL_FOREIGN', message: expect.stringMatching(/notes\.txt/) });
    expect(existsSync(join(a.dir, 'notes.txt'))).toBe(true);
    expect(existsSync(join(a.dir, 'onnx/text_model.onnx'))).toBe(true);
    const b = await importLabelModel(copyClip(), { folder });
    appendFileSync(join(b.dir, 'config.json'), ' ');
    await expect(removeLabelModel(folder, b.id)).rejects.toThrow(/config\.json/);
    expect(existsSync(join(b.dir, 'config.json'))).toBe(true);
  });

  test('unknown ids and paths are refused', async () => {
    const folder = join(tmp.dir, 'models-none');
    await expect(removeLabelModel(folder, 'nope')).rejects.toMatchObject({ code: 'LABEL_MODEL_NOT_FOUND' });
    await expect(removeLabelModel(folder, '../models-rm')).rejects.toMatchObject({ code: 'LABEL_MODEL_NOT_FOUND' });
  });
});
