// Issue 13 item 18: the binary-PNG export keeps writing an all-black PNG for every frame where an
// object is absent (dataset tools expect a file per frame), and `png.skipEmpty` leaves them out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runExport, storeExportSource } from '../../src-main/core/export';
import type { ProjectStore } from '../../src-main/core/store';
import { makeVideo, tempDir } from '../helpers/make-video';
import { disc } from '../unit/export/mask-shapes';
import { makeProject, readGreyPng } from '../unit/export/fixture-project';

let t: ReturnType<typeof tempDir>;
let store: ProjectStore;

beforeAll(async () => {
  t = tempDir('maskline-export-skip-');
  const video = makeVideo(join(t.dir, 'clip.mp4'), { width: 64, height: 48, frames: 8 });
  // object 1 on frames 0..3, object 2 on frames 5 and 6
  store = await makeProject(
    join(t.dir, 'project'),
    video,
    [
      { name: 'a', label: 'x' },
      { name: 'b', label: 'x' },
    ],
    () => [
      ...[0, 1, 2, 3].map((f) => ({ objectId: 1, frame: f, bitmap: disc(64, 48, 20, 24, 8), score: 1 })),
      ...[5, 6].map((f) => ({ objectId: 2, frame: f, bitmap: disc(64, 48, 40, 24, 6), score: 1 })),
    ],
  );
});
afterAll(() => {
  store.close();
  t.cleanup();
});

const names = (frames: number[]) => frames.map((f) => `${String(f).padStart(5, '0')}.png`);

describe('binary PNGs and absent objects', () => {
  it('by default: a PNG for every frame, all black where the object is absent', async () => {
    const out = join(t.dir, 'all');
    const r = await runExport(storeExportSource(store), { formats: ['png'], outDir: out });
    expect(readdirSync(join(out, 'masks', '1')).sort()).toEqual(names([0, 1, 2, 3, 4, 5, 6, 7]));
    expect(readdirSync(join(out, 'masks', '2')).sort()).toEqual(names([0, 1, 2, 3, 4, 5, 6, 7]));
    expect(readGreyPng(join(out, 'masks', '1', '00005.png')).values.every((v) => v === 0)).toBe(true);
    expect(r.fileCount).toBe(16);
  });

  it('png.skipEmpty: only the frames where the object has a mask', async () => {
    const out = join(t.dir, 'skip');
    const r = await runExport(storeExportSource(store), { formats: ['png'], outDir: out, png: { skipEmpty: true } });
    expect(readdirSync(join(out, 'masks', '1')).sort()).toEqual(names([0, 1, 2, 3]));
    expect(readdirSync(join(out, 'masks', '2')).sort()).toEqual(names([5, 6]));
    expect(readGreyPng(join(out, 'masks', '2', '00005.png')).values.some((v) => v === 255)).toBe(true);
    expect(r.fileCount).toBe(6);
  });
});
