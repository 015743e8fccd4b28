// `maskline run` end to end on the micro SAM 2.1 pack: video + prompts in, propagation into a
// project, export out — headless, through the CLI dispatcher.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeVideo, tempDir } from '../helpers/make-video';
import { runCli as cli } from '../unit/export/cli-capture';
import { openProjectStore } from '../../src-main/core/store';
import { MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';

const FRAMES = 8;
let t: ReturnType<typeof tempDir>;
let video: string;
let prompts: string;

beforeAll(() => {
  t = tempDir('maskline-run-');
  video = makeVideo(join(t.dir, 'shapes.mp4'), { width: 160, height: 96, frames: FRAMES, pattern: 'shapes' });
  prompts = join(t.dir, 'prompts.json');
  writeFileSync(prompts, JSON.stringify({
    objects: [{ id: 1, name: 'square', label: 'box' }, { id: 2, name: 'corner', label: 'thing' }],
    prompts: [
      { objectId: 1, frame: 3, points: [[60, 48]], labels: [1] },
      { objectId: 2, frame: 3, box: [100, 10, 150, 40] },
    ],
  }));
});
afterAll(() => t.cleanup());


describe('maskline run', () => {
  it('propagates both ways from the prompted frame, stores every frame, exports', async () => {
    const project = join(t.dir, 'project');
    const out = join(t.dir, 'out');
    const r = await cli('run', '--model', MICRO_PACK_DIR, '--video', video, '--prompts', prompts, '--project', project, '--format', 'png,palette,coco,mots', '--out', out);
    expect(r.err).not.toMatch(/maskline run:/);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/propagate: 9\/9 frames/);
    expect(r.out).toMatch(/^exported 8 frames/);

    const store = openProjectStore(project, { create: false });
    try {
      expect(store.objects.list().map((o) => [o.id, o.name, o.label])).toEqual([[1, 'square', 'box'], [2, 'corner', 'thing']]);
      expect(store.prompts.list().map((p) => [p.objectId, p.frame])).toEqual([[1, 3], [2, 3]]);
      const [run] = store.runs.list();
      expect(run).toMatchObject({ kind: 'propagate', state: 'done' });
      for (let f = 0; f < FRAMES; f++) {
        for (const id of [1, 2]) expect(store.masks.get(id, f)?.source).toBe(f === 3 ? 'prompt' : 'propagated');
      }
      const stored = Array.from({ length: FRAMES }, (_, f) => store.masks.forFrame(f).filter((m) => m.rle.counts.length > 1)).flat();
      const coco = JSON.parse(readFileSync(join(out, 'coco.json'), 'utf8'));
      expect(coco.annotations).toHaveLength(stored.length);
      expect(coco.categories.map((c: { name: string }) => c.name)).toEqual(['box', 'thing']);
    } finally {
      store.close();
    }
    expect(readdirSync(join(out, 'palette'))).toHaveLength(FRAMES);
    expect(readdirSync(join(out, 'masks')).sort()).toEqual(['1', '2']);
  });

  it('runs again on the same project, and refuses a project of another video', async () => {
    const project = join(t.dir, 'project');
    const again = await cli('run', '--model', MICRO_PACK_DIR, '--video', video, '--prompts', prompts, '--project', project, '--format', 'yolo', '--out', join(t.dir, 'out2'));
    expect(again.code).toBe(0);
    const other = makeVideo(join(t.dir, 'other.mp4'), { width: 160, height: 96, frames: 4 });
    const refused = await cli('run', '--model', MICRO_PACK_DIR, '--video', other, '--prompts', prompts, '--project', project, '--format', 'yolo', '--out', join(t.dir, 'out3'));
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/is the project of another video/);
  });

  it('names a prompt outside the video and a missing prompts file', async () => {
    const late = join(t.dir, 'late.json');
    writeFileSync(late, JSON.stringify({ prompts: [{ objectId: 1, frame: 40, points: [[5, 5]], labels: [1] }] }));
    const r = await cli('run', '--model', MICRO_PACK_DIR, '--video', video, '--prompts', late, '--project', join(t.dir, 'p-late'), '--format', 'png', '--out', join(t.dir, 'o-late'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/prompt on frame 40 of object 1: the video has frames 0..7/);
    const missing = await cli('run', '--model', MICRO_PACK_DIR, '--video', video, '--prompts', join(t.dir, 'nope.json'), '--project', join(t.dir, 'p2'), '--format', 'png', '--out', join(t.dir, 'o2'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read --prompts .*nope.json/);
  });
});
