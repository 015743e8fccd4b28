import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OutputStaging, destinationError } from '../../../src-main/core/export/staging';
import { tempDir } from '../../helpers/make-video';

let t: ReturnType<typeof tempDir>;
beforeEach(() => (t = tempDir('maskline-staging-')));
afterEach(() => t.cleanup());

describe('staged outputs', () => {
  it('writes under .tmp- names and renames into place only on commit', async () => {
    const s = await OutputStaging.open(join(t.dir, 'new', 'out'));
    const file = s.file('coco.json');
    const dir = await s.folder('masks');
    await writeFile(file, '{}');
    await writeFile(join(dir, 'a.png'), 'x');
    expect(readdirSync(s.dir).sort()).toEqual([expect.stringMatching(/^coco\.json\.tmp-[0-9a-f]{8}$/), expect.stringMatching(/^masks\.tmp-[0-9a-f]{8}$/)]);
    const files = await s.commit();
    expect(files).toEqual([join(s.dir, 'coco.json'), join(s.dir, 'masks')]);
    expect(readdirSync(s.dir).sort()).toEqual(['coco.json', 'masks']);
    expect(readdirSync(join(s.dir, 'masks'))).toEqual(['a.png']);
  });

  it('replaces an older folder and file whole, leaving no trace of the old ones', async () => {
    mkdirSync(join(t.dir, 'masks', '9'), { recursive: true });
    writeFileSync(join(t.dir, 'masks', '9', 'old.png'), 'old');
    writeFileSync(join(t.dir, 'mots.txt'), 'old');
    const s = await OutputStaging.open(t.dir);
    await writeFile(join(await s.folder('masks'), 'new.png'), 'new');
    await writeFile(s.file('mots.txt'), 'new');
    await s.commit();
    expect(readdirSync(t.dir).sort()).toEqual(['masks', 'mots.txt']);
    expect(readdirSync(join(t.dir, 'masks'))).toEqual(['new.png']);
    expect(readFileSync(join(t.dir, 'mots.txt'), 'utf8')).toBe('new');
  });

  it('discard removes every temporary and keeps the older export', async () => {
    writeFileSync(join(t.dir, 'coco.json'), 'old');
    const s = await OutputStaging.open(t.dir);
    await writeFile(s.file('coco.json'), 'half');
    await writeFile(join(await s.folder('yolo'), 'x.txt'), '');
    await s.discard();
    expect(readdirSync(t.dir)).toEqual(['coco.json']);
    expect(readFileSync(join(t.dir, 'coco.json'), 'utf8')).toBe('old');
  });

  it.each([
    ['the destination is a file', (d: string) => (writeFileSync(join(d, 'f'), ''), join(d, 'f')), /cannot write .*\/f: a part of the path is a file, not a folder \(ENOTDIR\)/],
    ['the destination is inside a file', (d: string) => (writeFileSync(join(d, 'f'), ''), join(d, 'f', 'out')), /cannot write .*f\/out: a part of the path is a file/],
  ])('refuses a destination that cannot take files: %s', async (_n, make, err) => {
    const dest = make(t.dir);
    await expect(OutputStaging.open(dest)).rejects.toThrow(err);
    await expect(OutputStaging.open(dest)).rejects.toMatchObject({ code: 'EXPORT_DESTINATION' });
  });

  it.skipIf(process.getuid?.() === 0)('refuses a read-only folder (permissions do not bind root)', async () => {
    const { chmodSync } = await import('node:fs');
    const ro = join(t.dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    await expect(OutputStaging.open(ro)).rejects.toThrow(/permission denied \(EACCES\)/);
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
