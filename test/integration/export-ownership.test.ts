// Issue 13 item 1: an export never deletes or overwrites anything it did not write. For every
// format, a user's file or folder under the output's name is refused up front (one message
// naming them), a user's file put into one of our folders survives the next export, and the
// export replaces only what an earlier export wrote (its manifest).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeVideo, tempDir } from '../helpers/make-video';
import { FORMATS, runExport, storeExportSource, type ExportSource } from '../../src-main/core/export';
import { MANIFEST_NAME } from '../../src-main/core/export/manifest';
import { outputNames } from '../../src-main/core/export/types';
import type { ExportFormat } from '../../src-main/api/contract';
import type { ProjectStore } from '../../src-main/core/store';
import { disc } from '../unit/export/mask-shapes';
import { makeProject } from '../unit/export/fixture-project';

const W = 64;
const H = 48;
const FRAMES = 4;
let t: ReturnType<typeof tempDir>;
let store: ProjectStore;
let source: ExportSource;

beforeAll(async () => {
  t = tempDir('maskline-export-own-');
  const video = makeVideo(join(t.dir, 'clip.mp4'), { width: W, height: H, frames: FRAMES });
  store = await makeProject(join(t.dir, 'project'), video, [{ name: 'a', label: 'thing' }], () =>
    Array.from({ length: FRAMES }, (_, f) => ({ objectId: 1, frame: f, bitmap: disc(W, H, 20 + f, 24, 8), score: 1 })),
  );
  source = storeExportSource(store);
});
afterAll(() => {
  store.close();
  t.cleanup();
});

/** A user's file under `name` (a file name gets a file, a folder name a folder with a file in it). */
function userThing(out: string, name: string): string {
  if (name.includes('.')) {
    writeFileSync(join(out, name), `user's ${name}`);
    return name;
  }
  mkdirSync(join(out, name), { recursive: true });
  writeFileSync(join(out, name, 'important.txt'), 'keep me');
  return `${name}/important.txt`;
}

describe.each(FORMATS.map((f) => [f]))('export %s never touches what it did not write', (format: ExportFormat) => {
  it('a user file or folder under its output name: refused up front, naming it, nothing written', async () => {
    const out = join(t.dir, `${format}-taken`);
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const mine = outputNames([format]).map((n) => userThing(out, n));
    const before = readdirSync(out).sort();
    const err = await runExport(source, { formats: [format], outDir: out }).catch((e) => e);
    expect(err).toMatchObject({ code: 'EXPORT_CONFLICT' });
    for (const m of mine) expect(err.details.names).toContain(m);
    expect(err.message).toMatch(/already holds files Maskline did not write: .*Nothing was written/);
    expect(readdirSync(out).sort()).toEqual(before);
    for (const m of mine) expect(readFileSync(join(out, m), 'utf8')).toMatch(/keep me|user's/);
  });

  it('exports again over its own output, and a user file added into it since survives (refused, named)', async () => {
    const out = join(t.dir, `${format}-again`);
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    await runExport(source, { formats: [format], outDir: out, frames: [0, 1] });
    const second = await runExport(source, { formats: [format], outDir: out });
    expect(second.frames).toBe(FRAMES);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readdirSync(out).sort()).toEqual([MANIFEST_NAME, 'notes.txt', ...outputNames([format])].sort());

    // the user adds a file inside our folder, or edits our file: the next export refuses
    const name = outputNames([format])[0]!;
    const isFolder = !name.includes('.');
    const touched = isFolder ? `${name}/important.txt` : name;
    writeFileSync(join(out, touched), 'keep me, I was edited by hand');
    await expect(runExport(source, { formats: [format], outDir: out })).rejects.toMatchObject({
      code: 'EXPORT_CONFLICT',
      details: { names: [touched] },
    });
    expect(readFileSync(join(out, touched), 'utf8')).toBe('keep me, I was edited by hand');
    expect(readdirSync(out).filter((n) => /\.tmp-|\.old-/.test(n))).toEqual([]);
  });
});

describe('mixed exports into one folder', () => {
  it('a later export of other formats keeps the earlier one; a partial re-export replaces only its own names', async () => {
    const out = join(t.dir, 'mixed');
    await runExport(source, { formats: ['png', 'coco'], outDir: out });
    const coco = readFileSync(join(out, 'coco.json'));
    await runExport(source, { formats: ['yolo', 'mots'], outDir: out });
    await runExport(source, { formats: ['png'], outDir: out, frames: [2, 3] });
    expect(readFileSync(join(out, 'coco.json')).equals(coco)).toBe(true);
    expect(readdirSync(join(out, 'masks', '1'))).toEqual(['00002.png', '00003.png']);
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST_NAME), 'utf8'));
    expect(Object.keys(manifest.files).filter((k) => k.startsWith('masks/'))).toEqual(['masks/1/00002.png', 'masks/1/00003.png']);
    expect(Object.keys(manifest.files)).toEqual(expect.arrayContaining(['coco.json', 'mots.txt', 'mots-classes.txt', 'yolo/classes.txt']));
  });

  it('a manifest that is not ours is itself in the way', async () => {
    const out = join(t.dir, 'fake-manifest');
    mkdirSync(out);
    writeFileSync(join(out, MANIFEST_NAME), 'my own notes');
    await expect(runExport(source, { formats: ['coco'], outDir: out })).rejects.toMatchObject({ code: 'EXPORT_CONFLICT', details: { names: [MANIFEST_NAME] } });
    expect(readFileSync(join(out, MANIFEST_NAME), 'utf8')).toBe('my own notes');
    expect(existsSync(join(out, 'coco.json'))).toBe(false);
  });
});
