// `maskline segment-all` through the CLI dispatcher (in process): a generated video and a frame
// folder, PNG per proposal (largest first) matching proposals.json, one-frame decoding equal to
// the engine's whole-video decoding, stale files, and bad input.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cocoRleToBitmap } from '../../src-main/core/masks/coco-rle';
import { readVideoFrame } from '../../src-main/core/sam2/amg/video-frame';
import { VideoFileFrameSource } from '../../src-main/core/sam2/frame-source-video';
import { MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { makeVideo, tempDir } from '../helpers/make-video';
import { runCli } from '../unit/export/cli-capture';

const tmp = tempDir('maskline-segment-all-');
let video: string;
const base = ['--model', MICRO_PACK_DIR, '--provider', 'cpu', '--threads', '2'];

beforeAll(() => {
  video = makeVideo(join(tmp.dir, 'shapes.mp4'), { width: 160, height: 96, frames: 4, pattern: 'shapes' });
});
afterAll(() => tmp.cleanup());

function readMask(path: string): { w: number; h: number; values: Set<number>; bits: Uint8Array } {
  const png = PNG.sync.read(readFileSync(path));
  const bits = new Uint8Array(png.width * png.height);
  const values = new Set<number>();
  for (let i = 0; i < bits.length; i++) {
    values.add(png.data[i * 4]!);
    bits[i] = png.data[i * 4]! > 127 ? 1 : 0;
  }
  return { w: png.width, h: png.height, values, bits };
}

interface ProposalsFile {
  frame: number;
  width: number;
  height: number;
  options: Record<string, number | boolean>;
  stats: { points: number; kept: number };
  proposals: {
    id: number;
    file: string;
    segmentation: { size: [number, number]; counts: string };
    area: number;
    bbox: number[];
    predicted_iou: number;
    point_coords: number[][];
    stability_score: number;
    crop_box: number[];
  }[];
}

describe('maskline segment-all', () => {
  test('a video frame: one 0/255 PNG per proposal, largest first, each equal to its COCO RLE in proposals.json', async () => {
    const out = join(tmp.dir, 'out');
    const r = await runCli(
      'segment-all',
      ...base,
      '--video',
      video,
      '--frame',
      '2',
      '--out',
      out,
      '--points-per-side',
      '8',
      '--pred-iou-thresh',
      '0',
      '--stability-score-thresh',
      '0',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^maskline segment-all: \d+ proposals in [\d.]+ s \(64 points, 192 masks decoded, 192 passed the filters\)/);
    const j = JSON.parse(readFileSync(join(out, 'proposals.json'), 'utf8')) as ProposalsFile;
    expect(j).toMatchObject({ frame: 2, width: 160, height: 96, stats: { points: 64 } });
    expect(j.options).toMatchObject({
      points_per_side: 8,
      points_per_batch: 64,
      pred_iou_thresh: 0,
      stability_score_thresh: 0,
      box_nms_thresh: 0.7,
      crop_n_points_downscale_factor: 1,
      use_m2m: false,
      multimask_output: true,
    });
    expect(j.proposals.length).toBeGreaterThan(1);
    expect(j.proposals.length).toBe(j.stats.kept);
    expect(readdirSync(out).sort()).toEqual(['.maskline-export.json', ...j.proposals.map((p) => p.file), 'proposals.json'].sort());
    const areas = j.proposals.map((p) => p.area);
    expect(areas).toEqual([...areas].sort((a, b) => b - a));
    for (const [i, p] of j.proposals.entries()) {
      expect(p.id).toBe(i);
      expect(p.file).toBe(`${String(i).padStart(3, '0')}.png`);
      const png = readMask(join(out, p.file));
      expect([png.w, png.h]).toEqual([160, 96]);
      expect([...png.values].every((v) => v === 0 || v === 255)).toBe(true);
      const coco = cocoRleToBitmap(p.segmentation);
      expect(Buffer.from(coco.bitmap).equals(Buffer.from(png.bits))).toBe(true);
      expect(png.bits.reduce((s, v) => s + v, 0)).toBe(p.area);
      expect(p.crop_box).toEqual([0, 0, 160, 96]);
      expect(p.point_coords).toHaveLength(1);
    }
  });

  test('one decoded frame is the same frame the engine decodes from the whole video', async () => {
    const src = await VideoFileFrameSource.open(video);
    try {
      for (const f of [0, 3]) {
        const a = await readVideoFrame(video, f);
        const b = await src.read(f);
        expect([a.width, a.height]).toEqual([b.width, b.height]);
        expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
      }
    } finally {
      await src.close();
    }
    await expect(readVideoFrame(video, 4)).rejects.toMatchObject({ code: 'BAD_FRAME', message: expect.stringMatching(/frame 4 does not exist/) });
  });

  test('a folder of frames works too; proposal files of an earlier, longer run are removed, other files stay', async () => {
    const frames = join(tmp.dir, 'frames');
    mkdirSync(frames);
    const f = await readVideoFrame(video, 1);
    const png = new PNG({ width: f.width, height: f.height });
    for (let i = 0; i < f.width * f.height; i++) png.data.set([f.data[i * 3]!, f.data[i * 3 + 1]!, f.data[i * 3 + 2]!, 255], i * 4);
    writeFileSync(join(frames, '00000.png'), PNG.sync.write(png));
    writeFileSync(join(frames, '00001.png'), PNG.sync.write(png));
    const out = join(tmp.dir, 'out-folder');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const loose = ['--pred-iou-thresh', '0', '--stability-score-thresh', '0'];
    const first = await runCli(
      'segment-all',
      ...base,
      '--video',
      frames,
      '--frame',
      '1',
      '--out',
      out,
      '--points-per-side',
      '6',
      ...loose,
      '--box-nms-thresh',
      '0.95',
    );
    expect(first.code, first.err).toBe(0);
    const before = (JSON.parse(readFileSync(join(out, 'proposals.json'), 'utf8')) as ProposalsFile).proposals.length;
    const r = await runCli('segment-all', ...base, '--video', frames, '--frame', '1', '--out', out, '--points-per-side', '4', ...loose, '--single-mask');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(readFileSync(join(out, 'proposals.json'), 'utf8')) as ProposalsFile;
    expect(j.options.multimask_output).toBe(false);
    expect(j.proposals.length).toBeLessThan(before);
    expect(readdirSync(out).sort()).toEqual(['.maskline-export.json', 'notes.txt', 'proposals.json', ...j.proposals.map((p) => p.file)].sort());
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
  });

  test.each([['999.png'], ['proposals.json'], ['000.png']])(
    'a user file named %s in --out: refused before any work, the file survives byte for byte',
    async (name) => {
      const out = join(tmp.dir, `user-${name}`);
      mkdirSync(out);
      const bytes = Buffer.from(`user data ${name} \u00e9`);
      writeFileSync(join(out, name), bytes);
      const r = await runCli(
        'segment-all',
        ...base,
        '--video',
        video,
        '--frame',
        '0',
        '--out',
        out,
        '--points-per-side',
        '4',
        '--pred-iou-thresh',
        '0',
        '--stability-score-thresh',
        '0',
      );
      expect(r.code).toBe(1);
      expect(r.err).toContain(`maskline segment-all: ${out} already holds files Maskline did not write: ${name}. Nothing was written`);
      expect(readFileSync(join(out, name))).toEqual(bytes);
      expect(readdirSync(out)).toEqual([name]);
    },
  );

  test('thresholds that remove everything: the funnel says which filter removed how many, and what to try', async () => {
    const out = join(tmp.dir, 'out-empty');
    const r = await runCli('segment-all', ...base, '--video', video, '--frame', '0', '--out', out, '--points-per-side', '4', '--pred-iou-thresh', '0.999');
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^maskline segment-all: 0 proposals in /);
    expect(lines[1]).toBe('  48 candidates → IoU 0.999 kept 0 → stability 0.95 kept 0 → NMS kept 0');
    expect(lines[2]).toMatch(/^ {2}The predicted-IoU filter at 0.999 removed all 48 masks that reached it \(the best predicted IoU was 0\.\d+\)\.$/);
    expect(lines[3]).toMatch(/^ {2}to let the best one through: --pred-iou-thresh 0(\.\d+)? --stability-score-thresh 0.95$/);

    const json = await runCli(
      'segment-all',
      ...base,
      '--video',
      video,
      '--frame',
      '0',
      '--out',
      out,
      '--points-per-side',
      '4',
      '--pred-iou-thresh',
      '0.999',
      '--json',
    );
    expect(json.code, json.err).toBe(0);
    const summary = JSON.parse(json.out) as {
      proposals: number;
      funnel: string;
      reason: string;
      suggestion: { predIouThresh: number; stabilityScoreThresh: number };
      stats: { funnel: { candidates: number; stages: { filter: string; input: number; kept: number; best: number | null }[] } };
    };
    expect(summary).toMatchObject({ proposals: 0, funnel: lines[1]!.trim(), reason: lines[2]!.trim() });
    const stages = summary.stats.funnel.stages;
    expect(stages.map((s) => [s.filter, s.input, s.kept])).toEqual([
      ['predIou', 48, 0],
      ['stability', 0, 0],
      ['boxNms', 0, 0],
    ]);
    expect(summary.suggestion.predIouThresh).toBeLessThan(stages[0]!.best!);
    expect(summary.suggestion.stabilityScoreThresh).toBe(0.95);
    // the suggestion lets something through the IoU filter
    const again = await runCli(
      'segment-all',
      ...base,
      '--video',
      video,
      '--frame',
      '0',
      '--out',
      out,
      '--points-per-side',
      '4',
      '--pred-iou-thresh',
      String(summary.suggestion.predIouThresh),
      '--json',
    );
    const next = JSON.parse(again.out) as typeof summary;
    expect(next.stats.funnel.stages[0]!.kept).toBeGreaterThan(0);
  });

  test.each([
    [['--frame', '9'], 1, /frame 9 does not exist/],
    [['--frame', '0', '--points-per-side', '0'], 2, /--points-per-side must be at least 1/],
    [['--frame', '0', '--box-nms-thresh', '2'], 2, /--box-nms-thresh must be at most 1/],
    [['--frame', '-1'], 2, /--frame must be an integer ≥ 0/],
    [['--frame', '0', '--provider', 'tpu'], 2, /--provider must be cpu, cuda, webgpu, dml, coreml or auto, got/],
  ])('bad input %j exits %i with a clear message', async (args, code, msg) => {
    const out = join(tmp.dir, 'bad');
    const r = await runCli('segment-all', ...base, '--video', video, '--out', out, ...args);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(msg);
    expect(existsSync(out)).toBe(false);
  });

  test('a video named with a colon, given relative to the shell’s folder', async () => {
    makeVideo(join(tmp.dir, 'cam:2.mp4'), { width: 160, height: 96, frames: 2, pattern: 'shapes' });
    const cwd = process.cwd();
    process.chdir(tmp.dir);
    try {
      const r = await runCli(
        'segment-all',
        ...base,
        '--video',
        'cam:2.mp4',
        '--frame',
        '1',
        '--out',
        'out-colon',
        '--points-per-side',
        '4',
        '--pred-iou-thresh',
        '0',
        '--stability-score-thresh',
        '0',
      );
      expect(r.code, r.err).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    const file = JSON.parse(readFileSync(join(tmp.dir, 'out-colon', 'proposals.json'), 'utf8')) as ProposalsFile;
    expect(file.proposals.length).toBeGreaterThan(0);
  });

  test('missing video and missing flags', async () => {
    const r = await runCli('segment-all', ...base, '--video', join(tmp.dir, 'nope.mp4'), '--frame', '0', '--out', join(tmp.dir, 'x'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--video .*nope\.mp4 does not exist/);
    const m = await runCli('segment-all', '--video', video, '--frame', '0', '--out', join(tmp.dir, 'x'));
    expect(m.code).toBe(2);
    expect(m.err).toMatch(/missing --model/);
  });
});
