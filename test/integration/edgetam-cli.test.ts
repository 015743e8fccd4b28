// `maskline track`, `segment-all` and `run` take an EdgeTAM pack as they take a SAM 2.1 one (issue
// 17), through the CLI dispatcher: track reproduces the EdgeTAM reference's S1 masks, segment-all
// finds proposals with EdgeTAM's decoder, and `run` on a project made with SAM 2.1 says what the
// family switch means and re-tracks every frame with EdgeTAM.
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openProjectStore } from '../../src-main/core/store';
import { EDGETAM_MICRO_PACK_DIR, loadEdgetamGolden } from '../fixtures/edgetam-micro/golden';
import { goldenFrames, MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { iou } from '../fixtures/sam2-micro/scenarios';
import { makeVideo, tempDir } from '../helpers/make-video';
import { runCli } from '../unit/export/cli-capture';

const g = loadEdgetamGolden();
const tmp = tempDir('maskline-edgetam-cli-');
const framesDir = join(tmp.dir, 'frames');
// pack folders named after their family: `run` knows packs by folder name
const edgetam = join(tmp.dir, 'packs-e', 'edgetam-micro');
const sam2 = join(tmp.dir, 'packs-s', 'sam2-micro');
const savedDataDir = process.env.MASKLINE_DATA_DIR;
let video: string;

beforeAll(() => {
  process.env.MASKLINE_DATA_DIR = join(tmp.dir, 'data');
  cpSync(EDGETAM_MICRO_PACK_DIR, edgetam, { recursive: true });
  cpSync(MICRO_PACK_DIR, sam2, { recursive: true });
  mkdirSync(framesDir);
  goldenFrames(g, false).forEach((f, t) => {
    const png = new PNG({ width: f.width, height: f.height });
    for (let i = 0; i < f.width * f.height; i++) png.data.set([f.data[i * 3]!, f.data[i * 3 + 1]!, f.data[i * 3 + 2]!, 255], i * 4);
    writeFileSync(join(framesDir, `${String(t).padStart(5, '0')}.png`), PNG.sync.write(png));
  });
  video = makeVideo(join(tmp.dir, 'shapes.mp4'), { width: 160, height: 96, frames: 6, pattern: 'shapes' });
}, 300_000);
afterAll(() => {
  if (savedDataDir === undefined) delete process.env.MASKLINE_DATA_DIR;
  else process.env.MASKLINE_DATA_DIR = savedDataDir;
  tmp.cleanup();
});

const maskOf = (p: string) => {
  const png = PNG.sync.read(readFileSync(p));
  return Uint8Array.from({ length: png.width * png.height }, (_, i) => (png.data[i * 4]! > 127 ? 1 : 0));
};

describe('the CLI with an EdgeTAM pack', () => {
  test('maskline track: S1 masks match the EdgeTAM reference', async () => {
    writeFileSync(
      join(tmp.dir, 's1.json'),
      JSON.stringify({
        objects: [
          { id: 1, prompts: [{ frame: 0, points: [[40, 90]], labels: [1] }] },
          { id: 2, prompts: [{ frame: 0, box: [137, 2, 183, 48] }] },
        ],
      }),
    );
    const out = join(tmp.dir, 'track');
    const r = await runCli(
      'track',
      '--model',
      edgetam,
      '--video',
      framesDir,
      '--prompts',
      join(tmp.dir, 's1.json'),
      '--out',
      out,
      '--provider',
      'cpu',
      '--threads',
      '2',
      '--fill-holes',
      '0',
    );
    expect(r.code, r.err).toBe(0);
    const golden = g.u8('S1/mask_video_u8');
    const HW = g.H * g.W;
    let minIou = 1;
    for (let t = 0; t < 24; t++) {
      [1, 2].forEach(
        (id, k) =>
          (minIou = Math.min(
            minIou,
            iou(maskOf(join(out, String(id), `${String(t).padStart(5, '0')}.png`)), golden.subarray((t * 2 + k) * HW, (t * 2 + k + 1) * HW)),
          )),
      );
    }
    expect(minIou).toBeGreaterThanOrEqual(0.999);
  });

  test('maskline segment-all: proposals from EdgeTAM’s decoder', async () => {
    const out = join(tmp.dir, 'segment');
    const r = await runCli(
      'segment-all',
      '--model',
      edgetam,
      '--provider',
      'cpu',
      '--threads',
      '2',
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
    const file = JSON.parse(readFileSync(join(out, 'proposals.json'), 'utf8')) as { proposals: { file: string }[] };
    expect(file.proposals.length).toBeGreaterThan(0);
    expect(readdirSync(out).filter((f) => f.endsWith('.png'))).toHaveLength(file.proposals.length);
  });

  test('maskline run: a SAM 2.1 project run again with EdgeTAM says what switching means and re-tracks every frame', async () => {
    const prompts = join(tmp.dir, 'prompts.json');
    writeFileSync(prompts, JSON.stringify({ objects: [{ id: 1, prompts: [{ frame: 0, points: [[60, 48]], labels: [1] }] }] }));
    const project = join(tmp.dir, 'project');
    const first = await runCli(
      'run',
      '--model',
      sam2,
      '--video',
      video,
      '--prompts',
      prompts,
      '--project',
      project,
      '--format',
      'png',
      '--out',
      join(tmp.dir, 'out1'),
    );
    expect(first.code, first.err).toBe(0);
    expect(first.err).not.toMatch(/incompatible/);
    const second = await runCli(
      'run',
      '--model',
      edgetam,
      '--video',
      video,
      '--prompts',
      prompts,
      '--project',
      project,
      '--format',
      'png',
      '--out',
      join(tmp.dir, 'out2'),
    );
    expect(second.code, second.err).toBe(0);
    expect(second.err).toMatch(/note: SAM 2\.1 and EdgeTAM memories are incompatible/);
    const store = openProjectStore(project, { create: false });
    try {
      expect(Array.from({ length: 6 }, (_, f) => store.masks.get(1, f)?.packId)).toEqual(Array(6).fill('edgetam-micro'));
    } finally {
      store.close();
    }
  });
});
