// Round trips of every export format on a generated video with known masks written straight
// into a real project store: each format is decoded back with an independent reader.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpegPath, frameColor, makeVideo, tempDir } from '../helpers/make-video';
import type { ProjectStore } from '../../src-main/core/store';
import { runExport, storeExportSource, type ExportResult, type SpawnFn } from '../../src-main/core/export';
import { decoderArgs } from '../../src-main/core/export/overlay-args';
import { yuv420Layout } from '../../src-main/core/export/yuv420';
import { probeOverlaySource } from '../../src-main/core/export/overlay-probe';
import { cocoRleToBitmap, type CocoRle } from '../../src-main/core/masks/coco-rle';
import { disc, rect } from '../unit/export/mask-shapes';
import { iou, rasterizePolygons } from '../unit/export/polygon-raster';
import { decodeRgbFrames, makeProject, pngLayout, probeStreams, readGreyPng, readPaletteIndices, type FixtureMask } from '../unit/export/fixture-project';

const W = 96;
const H = 64;
const FRAMES = 12;

// object 1 "disc" (label person): a disc moving right, score 2 on every frame
// object 2 "box" (label car): a box moving down; score 3 on odd frames (on top of the disc), 1 on even ones
// object 3 "ghost" (label person): no masks at all
// object 4 "blink" (label dog): masks on frames 2 and 5 only; an empty mask stored on frame 3
const masksOf = (f: number): FixtureMask[] => [
  { objectId: 1, frame: f, bitmap: disc(W, H, 20 + 3 * f, 30, 14), score: 2 },
  { objectId: 2, frame: f, bitmap: rect(W, H, 28, 8 + 2 * f, 60, 30 + 2 * f), score: f % 2 ? 3 : 1 },
  ...(f === 2 || f === 5 ? [{ objectId: 4, frame: f, bitmap: rect(W, H, 70, 40, 90, 60), score: 0.5 }] : []),
  ...(f === 3 ? [{ objectId: 4, frame: f, bitmap: new Uint8Array(W * H), score: -5 }] : []),
];
const expected = (id: number, f: number) => masksOf(f).find((m) => m.objectId === id && m.bitmap.some((v) => v))?.bitmap ?? new Uint8Array(W * H);
/** who wins each pixel: the highest score, painted last */
function expectedLabels(f: number): Uint8Array {
  const out = new Uint8Array(W * H);
  for (const m of masksOf(f).sort((a, b) => a.score - b.score || a.objectId - b.objectId)) m.bitmap.forEach((v, i) => v && (out[i] = m.objectId));
  return out;
}

let t: ReturnType<typeof tempDir>;
let store: ProjectStore;
let out: string;
let result: ExportResult;
const progress: number[] = [];

beforeAll(async () => {
  t = tempDir('maskline-export-');
  const video = makeVideo(join(t.dir, 'clip.mp4'), { width: W, height: H, frames: FRAMES, fps: 25 });
  store = await makeProject(
    join(t.dir, 'project'),
    video,
    [
      { name: 'disc', label: 'person' },
      { name: 'box', label: 'car' },
      { name: 'ghost', label: 'person' },
      { name: 'blink', label: 'dog' },
    ],
    () => Array.from({ length: FRAMES }, (_, f) => masksOf(f)).flat(),
  );
  out = join(t.dir, 'out');
  result = await runExport(
    storeExportSource(store),
    { formats: ['overlay', 'png', 'palette', 'coco', 'yolo', 'mots'], outDir: out },
    {
      onProgress: (p) => progress.push(p.done / p.total),
    },
  );
});
afterAll(() => {
  store?.close();
  t?.cleanup();
});

describe('export of every format', () => {
  it('writes exactly the documented names, no temporaries, and reports the job', () => {
    expect(readdirSync(out).sort()).toEqual(['.maskline-export.json', 'coco.json', 'masks', 'mots-classes.txt', 'mots.txt', 'overlay.mp4', 'palette', 'yolo']);
    expect(result.frames).toBe(FRAMES);
    expect(result.files.map((f) => f.slice(out.length + 1)).sort()).toEqual([
      'coco.json',
      'masks',
      'mots-classes.txt',
      'mots.txt',
      'overlay.mp4',
      'palette',
      'yolo',
    ]);
    // 4 objects × 12 PNGs, 12 palette PNGs, 12 + 2 YOLO files, coco, mots + classes, overlay
    expect(result.fileCount).toBe(48 + 12 + 14 + 1 + 2 + 1);
    expect(result.warnings).toEqual([expect.stringMatching(/^object 3 \(ghost\) has no masks in frames 0:11/)]);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((v, i) => i === 0 || v >= progress[i - 1]!)).toBe(true);
  });

  it('binary PNGs: masks/<id>/<frame:05d>.png, 0/255, pixel-exact, all black without a mask', () => {
    expect(readdirSync(join(out, 'masks')).sort()).toEqual(['1', '2', '3', '4']);
    for (const id of [1, 2, 3, 4]) {
      expect(readdirSync(join(out, 'masks', String(id))).sort()).toEqual(Array.from({ length: FRAMES }, (_, f) => `${String(f).padStart(5, '0')}.png`));
      for (let f = 0; f < FRAMES; f++) {
        const png = readGreyPng(join(out, 'masks', String(id), `${String(f).padStart(5, '0')}.png`));
        expect([png.width, png.height]).toEqual([W, H]);
        expect(Array.from(png.values)).toEqual(Array.from(expected(id, f), (v) => (v ? 255 : 0)));
      }
    }
  });

  it('palette PNGs: 8-bit indexed with the 256-entry DAVIS palette, pixel = object id, top score wins overlaps', () => {
    for (let f = 0; f < FRAMES; f++) {
      const path = join(out, 'palette', `${String(f).padStart(5, '0')}.png`);
      expect(pngLayout(path)).toMatchObject({ colorType: 3, bitDepth: 8, plteEntries: 256, chunks: ['IHDR', 'PLTE', 'IDAT', 'IEND'] });
      expect(Array.from(readPaletteIndices(path).indices)).toEqual(Array.from(expectedLabels(f)));
    }
    // the overlap really exists and flips with the score
    const overlap = 30 * W + 30;
    expect([expectedLabels(1)[overlap], expectedLabels(2)[overlap]]).toEqual([2, 1]);
  });

  it('COCO: one annotation per object per frame with pycocotools RLE, area, bbox and the label as category', () => {
    const coco = JSON.parse(readFileSync(join(out, 'coco.json'), 'utf8'));
    expect(coco.videos).toEqual([{ id: 1, name: 'clip.mp4', width: W, height: H, length: FRAMES, fps: 25 }]);
    expect(coco.categories).toEqual([
      { id: 1, name: 'person', supercategory: 'object' },
      { id: 2, name: 'car', supercategory: 'object' },
      { id: 3, name: 'dog', supercategory: 'object' },
    ]);
    expect(coco.images).toHaveLength(FRAMES);
    expect(coco.images[5]).toEqual({ id: 6, video_id: 1, frame_index: 5, file_name: '00005.jpg', width: W, height: H });
    expect(coco.annotations).toHaveLength(FRAMES * 2 + 2);
    const category = { 1: 1, 2: 2, 4: 3 } as Record<number, number>;
    for (const a of coco.annotations) {
      const want = expected(a.object_id, a.frame_index);
      expect(a.image_id).toBe(a.frame_index + 1);
      expect(a.category_id).toBe(category[a.object_id]);
      expect(a.iscrowd).toBe(0);
      expect(typeof a.segmentation.counts).toBe('string');
      const { bitmap } = cocoRleToBitmap(a.segmentation as CocoRle);
      expect(Array.from(bitmap)).toEqual(Array.from(want));
      expect(a.area).toBe(want.reduce((s, v) => s + v, 0));
      const xs = [...want.keys()].filter((i) => want[i]).map((i) => i % W);
      const ys = [...want.keys()].filter((i) => want[i]).map((i) => Math.floor(i / W));
      expect(a.bbox).toEqual([Math.min(...xs), Math.min(...ys), Math.max(...xs) - Math.min(...xs) + 1, Math.max(...ys) - Math.min(...ys) + 1]);
    }
    expect(new Set(coco.annotations.map((a: { id: number }) => a.id)).size).toBe(coco.annotations.length);
  });

  it('YOLO: polygons per frame that rasterize back to each mask with IoU ≥ 0.98, class list beside them', () => {
    expect(readFileSync(join(out, 'yolo', 'classes.txt'), 'utf8')).toBe('person\ncar\ndog\n');
    expect(readFileSync(join(out, 'yolo', 'data.yaml'), 'utf8')).toContain('names:\n  0: "person"\n  1: "car"\n  2: "dog"\n');
    for (let f = 0; f < FRAMES; f++) {
      const text = readFileSync(join(out, 'yolo', `${String(f).padStart(5, '0')}.txt`), 'utf8');
      const byClass = new Map<number, number[][]>();
      for (const line of text.trim().split('\n').filter(Boolean)) {
        const [cls, ...xy] = line.split(' ').map(Number);
        expect(xy.length % 2).toBe(0);
        expect(xy.every((v) => v >= 0 && v <= 1)).toBe(true);
        const poly = xy.map((v, i) => v * (i % 2 ? H : W));
        byClass.set(cls!, [...(byClass.get(cls!) ?? []), poly]);
      }
      for (const [cls, id] of [
        [0, 1],
        [1, 2],
        [2, 4],
      ] as const) {
        const want = expected(id, f);
        if (!want.some((v) => v)) {
          expect(byClass.has(cls)).toBe(false);
          continue;
        }
        expect(iou(rasterizePolygons(byClass.get(cls)!, W, H), want)).toBeGreaterThanOrEqual(0.98);
      }
    }
  });

  it('MOTS: 1-based frames, class*1000+instance ids, overlaps resolved, RLE decodes pixel-exact', () => {
    expect(readFileSync(join(out, 'mots-classes.txt'), 'utf8')).toBe('1 car\n2 person\n3 dog\n');
    const lines = readFileSync(join(out, 'mots.txt'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(FRAMES * 2 + 2);
    const trackOf = { 2001: 1, 1001: 2, 3001: 4 } as Record<number, number>;
    for (const line of lines) {
      const [time, id, cls, h, w, rle] = line.split(' ');
      const f = Number(time) - 1;
      const objectId = trackOf[Number(id)]!;
      expect(Math.floor(Number(id) / 1000)).toBe(Number(cls));
      expect([Number(h), Number(w)]).toEqual([H, W]);
      const { bitmap } = cocoRleToBitmap({ size: [H, W], counts: rle! });
      expect(Array.from(bitmap)).toEqual(Array.from(expectedLabels(f), (v) => (v === objectId ? 1 : 0)));
    }
  });

  it('overlay: H.264 yuv420p MP4 at the source size, rate and frame count', () => {
    const [v, ...rest] = probeStreams(join(out, 'overlay.mp4'));
    expect(rest).toEqual([]);
    expect(v).toMatchObject({ codec_name: 'h264', width: W, height: H, pix_fmt: 'yuv420p', r_frame_rate: '25/1', nb_read_frames: String(FRAMES) });
  });

  it('overlay: masked pixels are shifted towards green, unmasked ones keep the source colour', () => {
    const frames = decodeRgbFrames(join(out, 'overlay.mp4'), W, H);
    expect(frames).toHaveLength(FRAMES);
    for (let f = 0; f < FRAMES; f++) {
      const src = frameColor(f);
      const at = (x: number, y: number) => Array.from(frames[f]!.subarray((y * W + x) * 3, (y * W + x) * 3 + 3));
      // inside the disc, well away from its edge (chroma is subsampled)
      const [r, g, b] = at(20 + 3 * f, 30);
      const want = [src[0] * 0.6, src[1] * 0.6 + 102, src[2] * 0.6];
      expect(Math.abs(r! - want[0]!)).toBeLessThanOrEqual(10);
      expect(Math.abs(g! - want[1]!)).toBeLessThanOrEqual(10);
      expect(Math.abs(b! - want[2]!)).toBeLessThanOrEqual(10);
      // bottom-left corner: never masked
      at(2, H - 3).forEach((c, i) => expect(Math.abs(c - src[i]!)).toBeLessThanOrEqual(6));
    }
  });

  it('overlay: the encoder gets the source’s own yuv420p bytes, changed only on masked pixels and their chroma blocks', async () => {
    // the encoder replaced by `cat`: what our pipeline writes to its stdin is kept as is (and an
    // empty file stands in for the MP4)
    const raw = join(t.dir, 'encoder-input.yuv');
    const capture: SpawnFn = (cmd, args) =>
      args.includes('pipe:0')
        ? spawn('sh', ['-c', 'cat > "$0" && : > "$1"', raw, args.at(-1)!.replace(/^file:/, '')], { stdio: ['pipe', 'pipe', 'pipe'] })
        : spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const source = storeExportSource(store);
    await runExport(source, { formats: ['overlay'], outDir: join(t.dir, 'out-capture'), objectIds: [4] }, { spawnProcess: capture });
    // the reference is a plain decode in the stream's native format: no filter, no conversion
    const info = await probeOverlaySource(source.video);
    expect(info).toMatchObject({ range: 'limited', matrix: 'bt601' });
    const reference = execFileSync(ffmpegPath(), ['-v', 'error', '-i', source.video.path, '-f', 'rawvideo', 'pipe:1'], { maxBuffer: 1 << 28 });
    expect(execFileSync(ffmpegPath(), decoderArgs(info, { first: 0, last: FRAMES - 1, total: FRAMES }), { maxBuffer: 1 << 28 }).equals(reference)).toBe(true);
    const sent = readFileSync(raw);
    const layout = yuv420Layout(W, H);
    expect(sent.length).toBe(FRAMES * layout.bytes);
    for (let f = 0; f < FRAMES; f++) {
      const a = sent.subarray(f * layout.bytes, (f + 1) * layout.bytes);
      const b = reference.subarray(f * layout.bytes, (f + 1) * layout.bytes);
      const inside = expected(4, f);
      for (let p = 0; p < W * H; p++) if (a[p] !== b[p]) expect(inside[p], `frame ${f} luma ${p}`).toBe(1);
      for (let c = 0; c < layout.chromaWidth * layout.chromaHeight; c++) {
        const [x, y] = [2 * (c % layout.chromaWidth), 2 * Math.floor(c / layout.chromaWidth)];
        const touched = [0, 1, W, W + 1].some((d) => inside[y * W + x + d]);
        for (const plane of [layout.uOffset, layout.vOffset]) if (a[plane + c] !== b[plane + c]) expect(touched, `frame ${f} chroma ${c}`).toBe(true);
      }
      if (f === 2 || f === 5) expect(a.equals(b)).toBe(false);
      else expect(a.equals(b)).toBe(true);
    }
  });

  it('leaves nothing temporary behind and replaces an older export on the next run', async () => {
    const again = await runExport(storeExportSource(store), { formats: ['png', 'coco'], outDir: out, objectIds: [2], frames: [4, 6] });
    expect(readdirSync(join(out, 'masks'))).toEqual(['2']);
    expect(readdirSync(join(out, 'masks', '2')).sort()).toEqual(['00004.png', '00005.png', '00006.png']);
    expect(again.warnings).toEqual([]);
    const coco = JSON.parse(readFileSync(join(out, 'coco.json'), 'utf8'));
    expect(coco.images.map((i: { frame_index: number }) => i.frame_index)).toEqual([4, 5, 6]);
    expect(coco.annotations.map((a: { object_id: number; frame_index: number }) => [a.object_id, a.frame_index])).toEqual([
      [2, 4],
      [2, 5],
      [2, 6],
    ]);
    expect(readdirSync(out).filter((n) => n.includes('.tmp-') || n.includes('.old-'))).toEqual([]);
    expect(existsSync(join(out, 'overlay.mp4'))).toBe(true);
  });
});
