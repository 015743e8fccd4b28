// Exports carry the project's label set: COCO categories in the set's order with unlabelled
// objects under "object", YOLO class ids with classes.txt / data.yaml, MOTS class ids in
// mots-classes.txt; each read back from the files (our readers: pycocotools is not installed here).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport, storeExportSource } from '../../src-main/core/export';
import { cocoRleToBitmap, type CocoRle } from '../../src-main/core/masks/coco-rle';
import { writeLabelSet } from '../../src-main/core/labels';
import type { ProjectStore } from '../../src-main/core/store';
import { makeVideo, tempDir } from '../helpers/make-video';
import { makeProject } from '../unit/export/fixture-project';
import { rect } from '../unit/export/mask-shapes';

const W = 64;
const H = 48;
let t: ReturnType<typeof tempDir>;
let store: ProjectStore;
let out: string;

beforeAll(async () => {
  t = tempDir('maskline-export-labels-');
  const video = makeVideo(join(t.dir, 'clip.mp4'), { width: W, height: H, frames: 2, fps: 25 });
  store = await makeProject(
    join(t.dir, 'project'),
    video,
    [
      { name: 'a', label: 'dog' },
      { name: 'b', label: '' },
      { name: 'c', label: 'cat' },
    ],
    () =>
      [0, 1].flatMap((f) => [
        { objectId: 1, frame: f, bitmap: rect(W, H, 2, 2, 20, 20), score: 1 },
        { objectId: 2, frame: f, bitmap: rect(W, H, 30, 2, 40, 20), score: 1 },
        { objectId: 3, frame: f, bitmap: rect(W, H, 2, 30, 60, 46), score: 1 },
      ]),
  );
  writeLabelSet(store.settings, ['cat', 'dog', 'bird'], ['a photo of a {label}.']);
  out = join(t.dir, 'out');
  await runExport(storeExportSource(store), { formats: ['coco', 'yolo', 'mots'], outDir: out });
});
afterAll(() => {
  store?.close();
  t?.cleanup();
});

describe('exports with a label set', () => {
  it('COCO: categories = the label set in order, then "object"; annotations point at them and decode to the masks', () => {
    const coco = JSON.parse(readFileSync(join(out, 'coco.json'), 'utf8')) as {
      categories: { id: number; name: string }[];
      annotations: { category_id: number; segmentation: CocoRle; image_id: number; bbox: number[] }[];
      objects: { id: number; label: string; category_id: number }[];
    };
    expect(coco.categories.map((c) => [c.id, c.name])).toEqual([
      [1, 'cat'],
      [2, 'dog'],
      [3, 'bird'],
      [4, 'object'],
    ]);
    expect(coco.objects.map((o) => [o.id, o.label, o.category_id])).toEqual([
      [1, 'dog', 2],
      [2, 'object', 4],
      [3, 'cat', 1],
    ]);
    const byCat = new Map(coco.categories.map((c) => [c.id, c.name]));
    const cats = coco.annotations
      .filter((a) => a.image_id === 1)
      .map((a) => byCat.get(a.category_id))
      .sort();
    expect(cats).toEqual(['cat', 'dog', 'object']);
    const dog = coco.annotations.find((a) => a.image_id === 1 && a.category_id === 2)!;
    const { bitmap } = cocoRleToBitmap(dog.segmentation);
    expect(Array.from(bitmap)).toEqual(Array.from(rect(W, H, 2, 2, 20, 20)));
  });

  it('YOLO: class ids index classes.txt and data.yaml', () => {
    expect(readFileSync(join(out, 'yolo', 'classes.txt'), 'utf8')).toBe('cat\ndog\nbird\nobject\n');
    const yaml = readFileSync(join(out, 'yolo', 'data.yaml'), 'utf8');
    expect(yaml).toContain('nc: 4');
    expect(yaml).toContain('  3: "object"');
    const lines = readFileSync(join(out, 'yolo', '00000.txt'), 'utf8')
      .trim()
      .split('\n');
    expect(lines.map((l) => Number(l.split(' ')[0])).sort()).toEqual([0, 1, 3]);
  });

  it('MOTS: class ids from the set, listed in mots-classes.txt, used in the track ids', () => {
    const classes = readFileSync(join(out, 'mots-classes.txt'), 'utf8');
    expect(classes).toMatch(/^3 cat$/m);
    expect(classes).toMatch(/^4 dog$/m);
    const ids = new Set(
      readFileSync(join(out, 'mots.txt'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => Number(l.split(' ')[1])),
    );
    expect([...ids].sort()).toEqual([3001, 4001, 6001]);
  });
});
