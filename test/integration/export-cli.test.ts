// `maskline export` run headless through the CLI dispatcher on a real project folder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { join } from 'node:path';
import { makeVideo, tempDir } from '../helpers/make-video';
import { runCli as cli } from '../unit/export/cli-capture';
import { rect } from '../unit/export/mask-shapes';
import { makeProject } from '../unit/export/fixture-project';

let t: ReturnType<typeof tempDir>;
let projectDir: string;

beforeAll(async () => {
  t = tempDir('maskline-export-cli-');
  projectDir = join(t.dir, 'project');
  const video = makeVideo(join(t.dir, 'clip.mp4'), { width: 64, height: 48, frames: 8 });
  const store = await makeProject(
    projectDir,
    video,
    [
      { name: 'a', label: 'cat' },
      { name: 'b', label: 'dog' },
    ],
    () =>
      Array.from({ length: 8 }, (_, f) => [
        { objectId: 1, frame: f, bitmap: rect(64, 48, f, 5, f + 20, 25), score: 1 },
        { objectId: 2, frame: f, bitmap: rect(64, 48, 30, f, 60, f + 10), score: 2 },
      ]).flat(),
  );
  store.close();
});
afterAll(() => t.cleanup());

describe('maskline export', () => {
  it('exports the chosen formats, frames and objects and lists what it wrote', async () => {
    const out = join(t.dir, 'out');
    const r = await cli('export', '--project', projectDir, '--format', 'overlay,png,palette,coco,yolo,mots', '--out', out, '--frames', '2:5', '--objects', '2');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^exported 4 frames in [\d.]+ s \(\d+ files\):/);
    expect(r.out).toContain(join(out, 'overlay.mp4'));
    // 4 frames in the range: progress counts them once, whatever the number of formats
    expect(r.err).toMatch(/export: 4\/4 frames \(100 %\)/);
    expect(r.err).not.toMatch(/8\/8/);
    expect(readdirSync(out).sort()).toEqual(['.maskline-export.json', 'coco.json', 'masks', 'mots-classes.txt', 'mots.txt', 'overlay.mp4', 'palette', 'yolo']);
    expect(readdirSync(join(out, 'masks'))).toEqual(['2']);
    expect(readdirSync(join(out, 'palette'))).toEqual(['00002.png', '00003.png', '00004.png', '00005.png']);
    expect(
      readFileSync(join(out, 'mots.txt'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' ').slice(0, 3).join(' ')),
    ).toEqual(['3 4001 4', '4 4001 4', '5 4001 4', '6 4001 4']);
  });

  it.each([
    [['--format', 'png', '--out', 'x'], 2, /missing --project/],
    [['--project', 'p', '--format', 'gif', '--out', 'x'], 2, /unknown format "gif"/],
    [['--project', 'p', '--format', 'png', '--out', 'x', '--frames', '5'], 2, /--frames must look like A:B/],
    [['--project', 'p', '--format', 'png', '--out', 'x', '--fps', '3'], 2, /unknown flag --fps/],
  ])('usage errors exit 2: %j', async (args, code, err) => {
    const r = await cli('export', ...args);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(err);
  });

  it('names a folder that is not a project, and a range outside the video', async () => {
    const notProject = await cli('export', '--project', t.dir, '--format', 'png', '--out', join(t.dir, 'o2'));
    expect(notProject.code).toBe(1);
    expect(notProject.err).toMatch(/is not a Maskline project: it has no project.sqlite/);
    const range = await cli('export', '--project', projectDir, '--format', 'png', '--out', join(t.dir, 'o3'), '--frames', '3:8');
    expect(range.code).toBe(1);
    expect(range.err).toMatch(/frames: 3:8 is not a range inside the video's frames 0:7/);
  });

  it.each([
    ['export', (out: string) => ['export', '--project', projectDir, '--format', 'png,coco', '--out', out]],
    [
      'run',
      (out: string) => [
        'run',
        '--model',
        MICRO_PACK_DIR,
        '--video',
        join(t.dir, 'clip.mp4'),
        '--prompts',
        join(t.dir, 'prompts.json'),
        '--project',
        join(out, '..', `${out.split('/').pop()}-project`),
        '--format',
        'png,coco',
        '--out',
        out,
      ],
    ],
  ])('maskline %s never overwrites a user file in --out: refused up front, one message naming them, the files survive byte for byte', async (cmd, argv) => {
    writeFileSync(join(t.dir, 'prompts.json'), JSON.stringify({ objects: [{ id: 1, prompts: [{ frame: 0, points: [[10, 10]], labels: [1] }] }] }));
    const out = join(t.dir, `user-${cmd}`);
    mkdirSync(join(out, 'masks'), { recursive: true });
    const coco = Buffer.from('{"mine": true}');
    writeFileSync(join(out, 'coco.json'), coco);
    writeFileSync(join(out, 'masks', 'important.txt'), 'keep me');
    const r = await cli(...(argv(out) as [string, ...string[]]));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${out} already holds files Maskline did not write: masks/, masks/important.txt, coco.json. Nothing was written`);
    expect(readFileSync(join(out, 'coco.json'))).toEqual(coco);
    expect(readFileSync(join(out, 'masks', 'important.txt'), 'utf8')).toBe('keep me');
    expect(readdirSync(out).sort()).toEqual(['coco.json', 'masks']);
    // `run` refused before it made a project or propagated anything
    if (cmd === 'run') expect(existsSync(`${out}-project`)).toBe(false);
  });
});
