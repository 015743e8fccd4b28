// `maskline run` end to end on the micro SAM 2.1 pack: video + prompts (track's format) in,
// propagation through the app's own services into a project, export out — headless, through
// the CLI dispatcher; then the project opens in the app's services like any other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectState } from '../../src-main/api/contract';
import { openProjectStore } from '../../src-main/core/store';
import { MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { makeVideo, tempDir } from '../helpers/make-video';
import { MICRO_MODELS_ENV, testServices } from '../helpers/services';
import { runCli as cli } from '../unit/export/cli-capture';

const FRAMES = 8;
let t: ReturnType<typeof tempDir>;
let video: string;
let prompts: string;
const savedDataDir = process.env.MASKLINE_DATA_DIR;

beforeAll(() => {
  t = tempDir('maskline-run-');
  // frame caches and the app's settings go to a temp data dir, not the user's
  process.env.MASKLINE_DATA_DIR = join(t.dir, 'data');
  video = makeVideo(join(t.dir, 'shapes.mp4'), { width: 160, height: 96, frames: FRAMES, pattern: 'shapes' });
  prompts = join(t.dir, 'prompts.json');
  writeFileSync(
    prompts,
    JSON.stringify({
      objects: [
        { id: 1, prompts: [{ frame: 3, points: [[60, 48]], labels: [1] }] },
        { id: 2, prompts: [{ frame: 3, box: [100, 10, 150, 40] }] },
      ],
    }),
  );
});
afterAll(() => {
  if (savedDataDir === undefined) delete process.env.MASKLINE_DATA_DIR;
  else process.env.MASKLINE_DATA_DIR = savedDataDir;
  t.cleanup();
});

describe('maskline run', () => {
  it('propagates both ways from the prompted frame, stores every frame, exports, and the app opens the project', async () => {
    const project = join(t.dir, 'project');
    const out = join(t.dir, 'out');
    const r = await cli(
      'run',
      '--model',
      MICRO_PACK_DIR,
      '--video',
      video,
      '--prompts',
      prompts,
      '--project',
      project,
      '--format',
      'png,palette,coco,mots',
      '--out',
      out,
    );
    expect(r.err).not.toMatch(/maskline run:/);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/propagate: \d+\/\d+ frames \(100 %\)/);
    expect(r.out).toMatch(/^exported 8 frames/);

    const store = openProjectStore(project, { create: false });
    try {
      expect(store.objects.list().map((o) => o.id)).toEqual([1, 2]);
      expect(store.prompts.list().map((p) => [p.objectId, p.frame])).toEqual([
        [1, 3],
        [2, 3],
      ]);
      expect(
        store.runs
          .list()
          .filter((x) => x.kind === 'propagate')
          .map((x) => x.state),
      ).toEqual(['done']);
      for (let f = 0; f < FRAMES; f++) {
        for (const id of [1, 2]) expect(store.masks.get(id, f)?.source).toBe(f === 3 ? 'prompt' : 'propagated');
      }
      const stored = Array.from({ length: FRAMES }, (_, f) => store.masks.forFrame(f).filter((m) => m.rle.counts.length > 1)).flat();
      const coco = JSON.parse(readFileSync(join(out, 'coco.json'), 'utf8'));
      expect(coco.annotations).toHaveLength(stored.length);
    } finally {
      store.close();
    }
    expect(readdirSync(join(out, 'palette'))).toHaveLength(FRAMES);
    expect(readdirSync(join(out, 'masks')).sort()).toEqual(['1', '2']);

    // the project is an ordinary one: the app's services open it with its tracks
    const app = testServices(join(t.dir, 'data'), { env: MICRO_MODELS_ENV });
    try {
      const opened = await app.call('project.open', { dir: project });
      expect(opened.ok).toBe(true);
      const state = (opened as { value: ProjectState }).value;
      expect(state.tracks.map((tr) => [tr.objectId, tr.frames.length, tr.promptFrames])).toEqual([
        [1, FRAMES, [3]],
        [2, FRAMES, [3]],
      ]);
    } finally {
      await app.shutdown();
    }
  });

  it('runs again on the same project, and refuses a project of another video', async () => {
    const project = join(t.dir, 'project');
    const again = await cli(
      'run',
      '--model',
      MICRO_PACK_DIR,
      '--video',
      video,
      '--prompts',
      prompts,
      '--project',
      project,
      '--format',
      'yolo',
      '--out',
      join(t.dir, 'out2'),
    );
    expect(again.err).not.toMatch(/maskline run:/);
    expect(again.code).toBe(0);
    const other = makeVideo(join(t.dir, 'other.mp4'), { width: 160, height: 96, frames: 4 });
    const refused = await cli(
      'run',
      '--model',
      MICRO_PACK_DIR,
      '--video',
      other,
      '--prompts',
      prompts,
      '--project',
      project,
      '--format',
      'yolo',
      '--out',
      join(t.dir, 'out3'),
    );
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/maskline run: PROJECT_HAS_OTHER_VIDEO/);
  });

  it('names a prompt outside the video, a missing prompts file and a folder that is no pack', async () => {
    const late = join(t.dir, 'late.json');
    writeFileSync(late, JSON.stringify({ objects: [{ id: 1, prompts: [{ frame: 40, points: [[5, 5]], labels: [1] }] }] }));
    const r = await cli(
      'run',
      '--model',
      MICRO_PACK_DIR,
      '--video',
      video,
      '--prompts',
      late,
      '--project',
      join(t.dir, 'p-late'),
      '--format',
      'png',
      '--out',
      join(t.dir, 'o-late'),
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/BAD_FRAME: object 1: a prompt on frame 40, but the video has frames 0..7/);
    const missing = await cli(
      'run',
      '--model',
      MICRO_PACK_DIR,
      '--video',
      video,
      '--prompts',
      join(t.dir, 'nope.json'),
      '--project',
      join(t.dir, 'p2'),
      '--format',
      'png',
      '--out',
      join(t.dir, 'o2'),
    );
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--prompts .*nope\.json: ENOENT/);
    const noPack = await cli(
      'run',
      '--model',
      t.dir,
      '--video',
      video,
      '--prompts',
      prompts,
      '--project',
      join(t.dir, 'p3'),
      '--format',
      'png',
      '--out',
      join(t.dir, 'o3'),
    );
    expect(noPack.code).toBe(1);
    expect(noPack.err).toMatch(/PACK_NOT_FOUND: --model .*: no model pack there/);
  });
});
