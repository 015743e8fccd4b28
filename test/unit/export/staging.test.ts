import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OutputStaging, destinationError } from '../../../src-main/core/export/staging';
import { MANIFEST_NAME } from '../../../src-main/core/export/manifest';
import { tempDir } from '../../helpers/make-video';

const NAMES = ['coco.json', 'masks', 'mots.txt', 'yolo'];
let t: ReturnType<typeof tempDir>;
beforeEach(() => (t = tempDir('maskline-staging-')));
afterEach(() => t.cleanup());

describe('staged outputs', () => {
  it('writes under .tmp- names and renames into place only on commit', async () => {
    const s = await OutputStaging.open(join(t.dir, 'new', 'out'), NAMES);
    const file = s.file('coco.json');
    const dir = await s.folder('masks');
    await writeFile(file, '{}');
    await writeFile(join(dir, 'a.png'), 'x');
    expect(readdirSync(s.dir).sort()).toEqual([expect.stringMatching(/^coco\.json\.tmp-[0-9a-f]{8}$/), expect.stringMatching(/^masks\.tmp-[0-9a-f]{8}$/)]);
    const files = await s.commit();
    expect(files).toEqual([join(s.dir, 'coco.json'), join(s.dir, 'masks')]);
    expect(readdirSync(s.dir).sort()).toEqual([MANIFEST_NAME, 'coco.json', 'masks']);
    expect(readdirSync(join(s.dir, 'masks'))).toEqual(['a.png']);
    const manifest = JSON.parse(readFileSync(join(s.dir, MANIFEST_NAME), 'utf8'));
    expect(Object.keys(manifest.files)).toEqual(['coco.json', 'masks/a.png']);
  });

  it('replaces an older export of its own whole, leaving no trace of the old files', async () => {
    const first = await OutputStaging.open(t.dir, NAMES);
    mkdirSync(join(await first.folder('masks'), '9'));
    await writeFile(
      join(
        t.dir,
        readdirSync(t.dir).find((n) => n.startsWith('masks.tmp-'))!,
        '9',
        'old.png',
      ),
      'old',
    );
    await writeFile(first.file('mots.txt'), 'old');
    await first.commit();
    const s = await OutputStaging.open(t.dir, NAMES);
    await writeFile(join(await s.folder('masks'), 'new.png'), 'new');
    await writeFile(s.file('mots.txt'), 'new');
    await s.commit();
    expect(readdirSync(t.dir).sort()).toEqual([MANIFEST_NAME, 'masks', 'mots.txt']);
    expect(readdirSync(join(t.dir, 'masks'))).toEqual(['new.png']);
    expect(readFileSync(join(t.dir, 'mots.txt'), 'utf8')).toBe('new');
    expect(Object.keys(JSON.parse(readFileSync(join(t.dir, MANIFEST_NAME), 'utf8')).files)).toEqual(['masks/new.png', 'mots.txt']);
  });

  it('refuses up front, naming every file in the way that it did not write, and writes nothing', async () => {
    mkdirSync(join(t.dir, 'masks', '9'), { recursive: true });
    writeFileSync(join(t.dir, 'masks', '9', 'old.png'), 'mine');
    writeFileSync(join(t.dir, 'mots.txt'), 'mine');
    writeFileSync(join(t.dir, 'notes.txt'), 'mine');
    const err = await OutputStaging.open(t.dir, NAMES).catch((e) => e);
    expect(err).toMatchObject({ code: 'EXPORT_CONFLICT', details: { dir: t.dir, names: ['masks/', 'masks/9/', 'masks/9/old.png', 'mots.txt'] } });
    expect(err.message).toBe(
      `${t.dir} already holds files Maskline did not write: masks/, masks/9/, masks/9/old.png, mots.txt. Nothing was written; move them away or choose another folder.`,
    );
    expect(readdirSync(t.dir).sort()).toEqual(['masks', 'mots.txt', 'notes.txt']);
  });

  it('refuses a file of its own that was edited since, and a user file added into its folder', async () => {
    const first = await OutputStaging.open(t.dir, NAMES);
    await writeFile(join(await first.folder('masks'), 'a.png'), 'x');
    await writeFile(first.file('coco.json'), '{}');
    await first.commit();
    writeFileSync(join(t.dir, 'coco.json'), '{"edited": true}');
    writeFileSync(join(t.dir, 'masks', 'important.txt'), 'mine');
    await expect(OutputStaging.open(t.dir, NAMES)).rejects.toMatchObject({ code: 'EXPORT_CONFLICT', details: { names: ['coco.json', 'masks/important.txt'] } });
    expect(readFileSync(join(t.dir, 'masks', 'important.txt'), 'utf8')).toBe('mine');
  });

  it('refuses at commit when a user file appeared under its names during the export', async () => {
    const s = await OutputStaging.open(t.dir, NAMES);
    await writeFile(s.file('coco.json'), '{}');
    writeFileSync(join(t.dir, 'coco.json'), 'mine');
    await expect(s.commit()).rejects.toMatchObject({ code: 'EXPORT_CONFLICT' });
    await s.discard();
    expect(readdirSync(t.dir)).toEqual(['coco.json']);
    expect(readFileSync(join(t.dir, 'coco.json'), 'utf8')).toBe('mine');
  });

  it('discard removes every temporary and keeps the older export', async () => {
    const first = await OutputStaging.open(t.dir, NAMES);
    await writeFile(first.file('coco.json'), 'old');
    await first.commit();
    const s = await OutputStaging.open(t.dir, NAMES);
    await writeFile(s.file('coco.json'), 'half');
    await writeFile(join(await s.folder('yolo'), 'x.txt'), '');
    await s.discard();
    expect(readdirSync(t.dir).sort()).toEqual([MANIFEST_NAME, 'coco.json']);
    expect(readFileSync(join(t.dir, 'coco.json'), 'utf8')).toBe('old');
  });

  it('discard removes the folders it created, and only those', async () => {
    const s = await OutputStaging.open(join(t.dir, 'a', 'b', 'c'), NAMES);
    await writeFile(join(await s.folder('yolo'), 'x.txt'), '');
    await s.discard();
    expect(readdirSync(t.dir)).toEqual([]);
  });

  it.each([
    [
      'the destination is a file',
      (d: string) => (writeFileSync(join(d, 'f'), ''), join(d, 'f')),
      /cannot write .*\/f: a part of the path is a file, not a folder \(ENOTDIR\)/,
    ],
    [
      'the destination is inside a file',
      (d: string) => (writeFileSync(join(d, 'f'), ''), join(d, 'f', 'out')),
      /cannot write .*f\/out: a part of the path is a file/,
    ],
  ])('refuses a destination that cannot take files: %s', async (_n, make, err) => {
    const dest = make(t.dir);
    await expect(OutputStaging.open(dest, NAMES)).rejects.toThrow(err);
    await expect(OutputStaging.open(dest, NAMES)).rejects.toMatchObject({ code: 'EXPORT_DESTINATION' });
  });

  it.skipIf(process.getuid?.() === 0)('refuses a read-only folder (permissions do not bind root)', async () => {
    const { chmodSync } = await import('node:fs');
    const ro = join(t.dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    await expect(OutputStaging.open(ro, NAMES)).rejects.toThrow(/permission denied \(EACCES\)/);
    chmodSync(ro, 0o755);
  });

  it.each([
    ['ENOSPC', /the disk is full \(ENOSPC\)/],
    ['EROFS', /read-only \(EROFS\)/],
    ['EACCES', /permission denied \(EACCES\)/],
  ])('names %s as a destination problem with the path', (code, msg) => {
    const e = destinationError(Object.assign(new Error('x'), { code }), '/o/masks/1/00001.png');
    expect(e?.message).toMatch(/^cannot write \/o\/masks\/1\/00001.png: /);
    expect(e?.message).toMatch(msg);
    expect(e?.code).toBe('EXPORT_DESTINATION');
  });

  it('leaves other errors alone', () => {
    expect(destinationError(new Error('boom'), '/x')).toBeNull();
  });
});
