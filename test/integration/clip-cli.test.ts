// The CLIP commands through the CLI dispatcher (in process), on the clip-micro fixture and the
// micro SAM pack: `clip` on the golden images (PNG, lossless) against the golden probabilities,
// `segment-all --clip` labelling every proposal exactly as cropping + classifying it directly,
// and `label` naming a real project's objects from their tracks.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ClipModel,
  pickTrackFrames,
  readLabelInfo,
  readLabelSet,
  ZeroShotLabeller,
  normalizeLabelSet,
  labelTracks,
  writeLabelCrop,
  writeLabelSet,
} from '../../src-main/core/labels';
import { cocoRleToBitmap } from '../../src-main/core/masks/coco-rle';
import { encodeMask } from '../../src-main/core/masks/rle';
import { readVideoFrame } from '../../src-main/core/sam2/amg/video-frame';
import { VideoFileFrameSource } from '../../src-main/core/sam2/frame-source-video';
import { openProjectStore } from '../../src-main/core/store';
import { MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { makeVideo, tempDir } from '../helpers/make-video';
import { runCli } from '../unit/export/cli-capture';
import { makeProject } from '../unit/export/fixture-project';
import { CLIP_MICRO, loadClipGolden, maxAbsDiff } from '../unit/labels/clip-golden';

const tmp = tempDir('maskline-clip-cli-');
const g = loadClipGolden();
let video: string;
let labeller: ZeroShotLabeller;

beforeAll(async () => {
  video = makeVideo(join(tmp.dir, 'shapes.mp4'), { width: 160, height: 96, frames: 6, pattern: 'shapes' });
  labeller = new ZeroShotLabeller(await ClipModel.open(CLIP_MICRO, { threads: 2 }));
});
afterAll(async () => {
  await labeller?.dispose();
  tmp.cleanup();
});

function writePng(path: string, w: number, h: number, rgb: Uint8Array): string {
  const png = new PNG({ width: w, height: h });
  for (let i = 0; i < w * h; i++) {
    png.data[i * 4] = rgb[i * 3]!;
    png.data[i * 4 + 1] = rgb[i * 3 + 1]!;
    png.data[i * 4 + 2] = rgb[i * 3 + 2]!;
    png.data[i * 4 + 3] = 255;
  }
  writeFileSync(path, PNG.sync.write(png));
  return path;
}

describe('maskline clip', () => {
  test('--json on the golden images: probabilities within 1e-5 of the reference', async () => {
    const paths = g.json.images.map((im) => writePng(join(tmp.dir, `img${im.index}.png`), im.width, im.height, g.u8(`images/${im.index}/rgb_u8`)));
    const r = await runCli(
      'clip',
      '--model',
      CLIP_MICRO,
      '--images',
      paths.join(','),
      '--labels',
      g.json.labels.join(','),
      '--template',
      g.json.prompt_template,
      '--json',
      '--threads',
      '2',
    );
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as {
      labels: string[];
      logit_scale: number;
      images: { path: string; label: string; confidence: number; probs: Record<string, number> }[];
    };
    expect(j.labels).toEqual(g.json.labels);
    expect(j.logit_scale).toBeCloseTo(100, 4);
    const probs = j.images.flatMap((im) => g.json.labels.map((l) => im.probs[l]!));
    expect(maxAbsDiff(probs, g.f32('zeroshot/probs'))).toBeLessThanOrEqual(1e-5);
    for (const im of j.images) expect(im.confidence).toBe(Math.max(...Object.values(im.probs)));
  });

  test('table output, one line per image, best label first', async () => {
    const p = join(tmp.dir, 'img0.png');
    const r = await runCli('clip', '--model', CLIP_MICRO, '--images', p, '--labels', 'dog, cat', '--threads', '2');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/img0\.png: (dog|cat) 0\.\d{4}, (dog|cat) 0\.\d{4}$/);
  });

  test.each([
    [['--images', 'nope.png', '--labels', 'a'], /cannot read nope\.png/, 2],
    [['--images', 'IMG', '--labels', ' , '], /label set is empty/, 2],
    [['--images', 'IMG', '--labels', 'a', '--template', 'a photo'], /no \{label\} placeholder/, 2],
    [['--images', 'IMG', '--labels', 'a', '--variant', 'fp16'], /variant fp16 is not in/, 1],
  ])('bad input %j → clear error', async (args, re, code) => {
    const argv = (args as string[]).map((a) => (a === 'IMG' ? join(tmp.dir, 'img0.png') : a));
    const r = await runCli('clip', '--model', CLIP_MICRO, ...argv);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(re as RegExp);
  });
});

describe('maskline segment-all --clip', () => {
  test('every proposal carries label, confidence, bbox, area, predicted_iou, stability_score and RLE; labels match a direct crop + classify', async () => {
    const out = join(tmp.dir, 'amg');
    const labels = 'red circle,blue square,green triangle,background';
    const r = await runCli(
      'segment-all',
      '--model',
      MICRO_PACK_DIR,
      '--provider',
      'cpu',
      '--threads',
      '2',
      '--video',
      video,
      '--frame',
      '1',
      '--out',
      out,
      '--points-per-side',
      '4',
      '--pred-iou-thresh',
      '0',
      '--stability-score-thresh',
      '0',
      '--clip',
      CLIP_MICRO,
      '--labels',
      labels,
    );
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(readFileSync(join(out, 'proposals.json'), 'utf8')) as {
      width: number;
      height: number;
      clip: { labels: string[]; templates: string[] };
      proposals: {
        label: string;
        confidence: number;
        top: { label: string; probability: number }[];
        bbox: number[];
        area: number;
        predicted_iou: number;
        stability_score: number;
        segmentation: { size: [number, number]; counts: string };
      }[];
    };
    expect(j.clip).toMatchObject({ labels: labels.split(','), templates: ['a photo of a {label}.'] });
    expect(j.proposals.length).toBeGreaterThan(0);
    const frame = await readVideoFrame(video, 1, new AbortController().signal);
    const set = normalizeLabelSet(labels.split(','));
    const masks = j.proposals.map((p) => encodeMask(cocoRleToBitmap(p.segmentation).bitmap, j.height, j.width));
    const direct = await labeller.classifyMasks(frame, masks, set);
    j.proposals.forEach((p, i) => {
      expect(Object.keys(p).slice(0, 3)).toEqual(['label', 'confidence', 'top']);
      expect(set.labels).toContain(p.label);
      expect(p.bbox).toHaveLength(4);
      expect(typeof p.area).toBe('number');
      expect(typeof p.predicted_iou).toBe('number');
      expect(p.label).toBe(direct[i]!.ranked[0]!.label);
      expect(Math.abs(p.confidence - direct[i]!.ranked[0]!.probability)).toBeLessThan(1e-6);
      expect(p.top.map((t) => t.label)).toEqual(direct[i]!.ranked.slice(0, 3).map((t) => t.label));
    });
  });

  test('--clip without --labels is a usage error, before any work', async () => {
    const r = await runCli('segment-all', '--model', MICRO_PACK_DIR, '--video', video, '--frame', '0', '--out', join(tmp.dir, 'x'), '--clip', CLIP_MICRO);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--clip and --labels go together/);
  });

  test('a folder that is not a CLIP model fails with its reason', async () => {
    const r = await runCli(
      'segment-all',
      '--model',
      MICRO_PACK_DIR,
      '--video',
      video,
      '--frame',
      '0',
      '--out',
      join(tmp.dir, 'y'),
      '--clip',
      MICRO_PACK_DIR,
      '--labels',
      'a,b',
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/config\.json is missing from the CLIP folder/);
  });
});

describe('maskline label', () => {
  test('labels the unlabelled objects from up to K frames of their tracks; saves the label set and the frames used', async () => {
    const dir = join(tmp.dir, 'project');
    const W = 160;
    const H = 96;
    const box = (x0: number, y0: number, x1: number, y1: number) => {
      const b = new Uint8Array(W * H);
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) b[y * W + x] = 1;
      return b;
    };
    const store = await makeProject(
      dir,
      video,
      [
        { name: 'A', label: '' },
        { name: 'B', label: '' },
        { name: 'C', label: 'kept' },
      ],
      () => [
        ...[0, 1, 2, 3, 4, 5].map((f) => ({ objectId: 1, frame: f, bitmap: box(10 + f, 10, 60 + f, 50), score: [1, 5, 2, 3, 9, 0][f]! })),
        ...[1, 3].map((f) => ({ objectId: 2, frame: f, bitmap: box(90, 40, 150, 90), score: f })),
        { objectId: 3, frame: 0, bitmap: box(0, 0, 20, 20), score: 1 },
      ],
    );
    store.close();
    const r = await runCli(
      'label',
      '--project',
      dir,
      '--clip',
      CLIP_MICRO,
      '--labels',
      'red circle,blue square,tree',
      '--frames-per-track',
      '3',
      '--threads',
      '2',
    );
    expect(r.code, r.err).toBe(0);
    const s = openProjectStore(dir, { create: false });
    try {
      const objs = s.objects.list();
      expect(readLabelSet(s.settings).labels).toEqual(['red circle', 'blue square', 'tree']);
      const info = readLabelInfo(s.settings);
      // object 1: frames 0..5 in 3 runs → best of {0,1}=1, {2,3}=3, {4,5}=4; most confident first
      expect(info['1']!.frames).toEqual(
        pickTrackFrames(
          [1, 5, 2, 3, 9, 0].map((score, frame) => ({ frame, score, area: 1 })),
          3,
        ).map((p) => p.frame),
      );
      expect(info['1']!.frames).toEqual([4, 1, 3]);
      expect(info['2']!.frames).toEqual([3, 1]);
      expect(info['3']).toBeUndefined();
      expect(objs.find((o) => o.id === 3)!.label).toBe('kept');
      // the same labels as labelling the tracks directly
      const src = await VideoFileFrameSource.open(video);
      try {
        const direct = await labelTracks(
          labeller,
          normalizeLabelSet(['red circle', 'blue square', 'tree']),
          [1, 2],
          {
            masks: (id) => s.masks.listRange(id, 0, 5).map((m) => ({ frame: m.frame, score: m.score, area: m.area, rle: m.rle })),
            readFrame: (f) => src.read(f),
          },
          { framesPerTrack: 3 },
        );
        for (const d of direct) {
          expect(objs.find((o) => o.id === d.objectId)!.label).toBe(d.ranked[0]!.label);
          expect(info[String(d.objectId)]!.confidence).toBeCloseTo(d.ranked[0]!.probability, 6);
        }
      } finally {
        await src.close();
      }
    } finally {
      s.close();
    }
    const again = await runCli('label', '--project', dir, '--clip', CLIP_MICRO);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/every object already has a label/);
  });

  test("uses the project's crop options (set in the app), the crop flags over them; records them", async () => {
    const dir = join(tmp.dir, 'crop-project');
    const W = 160;
    const H = 96;
    const bitmap = new Uint8Array(W * H);
    for (let y = 20; y < 60; y++) for (let x = 30; x < 90; x++) bitmap[y * W + x] = 1;
    const store = await makeProject(dir, video, [{ name: 'A', label: '' }], () => [{ objectId: 1, frame: 0, bitmap, score: 1 }]);
    const LABELS = ['red circle', 'blue square', 'tree'];
    writeLabelSet(store.settings, LABELS, ['a photo of a {label}.']);
    writeLabelCrop(store.settings, { margin: 0.3, greyOutside: true });
    store.close();
    const first = await runCli('label', '--project', dir, '--clip', CLIP_MICRO, '--threads', '2');
    expect(first.code, first.err).toBe(0);
    const second = await runCli('label', '--project', dir, '--clip', CLIP_MICRO, '--threads', '2', '--relabel', '--no-square');
    expect(second.code, second.err).toBe(0);
    const s = openProjectStore(dir, { create: false });
    const src = await VideoFileFrameSource.open(video);
    try {
      const info = readLabelInfo(s.settings)['1']!;
      expect(info.crop).toEqual({ margin: 0.3, greyOutside: true, padSquare: false });
      const [direct] = await labelTracks(
        labeller,
        normalizeLabelSet(LABELS),
        [1],
        {
          masks: () => s.masks.listRange(1, 0, 0).map((m) => ({ frame: m.frame, score: m.score, area: m.area, rle: m.rle })),
          readFrame: (f) => src.read(f),
        },
        { framesPerTrack: 5, crop: info.crop },
      );
      expect(info.label).toBe(direct!.ranked[0]!.label);
      expect(info.confidence).toBeCloseTo(direct!.ranked[0]!.probability, 6);
    } finally {
      await src.close();
      s.close();
    }
  });

  test('no label set and no --labels: usage error; not a project: error', async () => {
    const dir = join(tmp.dir, 'empty-project');
    (await makeProject(dir, video, [{ name: 'A', label: '' }], () => [])).close();
    const r = await runCli('label', '--project', dir, '--clip', CLIP_MICRO);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no label set/);
    const r2 = await runCli('label', '--project', join(tmp.dir, 'nowhere'), '--clip', CLIP_MICRO, '--labels', 'a');
    expect(r2.code).toBe(1);
    expect(r2.err).toMatch(/not a Maskline project/);
  });
});
