import { describe, expect, test } from 'vitest';
import { isValidId, packIdFromManifest, sanitizeId, uniqueId } from '../../../src-main/core/models/ids';

describe('sanitizeId', () => {
  test.each([
    ['SAM 2.1 Hiera Tiny', 'sam-2.1-hiera-tiny'],
    ['sam2.1-hiera-tiny', 'sam2.1-hiera-tiny'],
    ['  --Weird__Name!!  ', 'weird-name'],
    ['../../etc/passwd', 'etc-passwd'],
    ['.hidden', 'hidden'],
    ['a..b', 'a.b'],
    ['Café Modèle', 'cafe-modele'],
    ['', 'model-pack'],
    ['!!!', 'model-pack'],
    ['x'.repeat(80), 'x'.repeat(64)],
    [`${'a'.repeat(63)}-b`, 'a'.repeat(63)],
  ])('%j -> %j', (raw, id) => {
    expect(sanitizeId(raw)).toBe(id);
    expect(isValidId(id)).toBe(true);
  });
});

describe('isValidId', () => {
  test.each([
    ['sam2.1-hiera-tiny', true],
    ['Upper', false],
    ['-lead', false],
    ['has space', false],
    ['', false],
    ['x'.repeat(65), false],
  ])('%j -> %s', (id, ok) => expect(isValidId(id)).toBe(ok));
});

describe('packIdFromManifest', () => {
  test.each([
    [{ name: 'SAM 2.1 Hiera Tiny', source: 'facebook/sam2.1-hiera-tiny' }, 'x', 'sam2.1-hiera-tiny'],
    [{ name: 'SAM 2.1 Hiera Tiny (fp16)', source: 'facebook/sam2.1-hiera-tiny', exporter: { precision: 'fp16' } }, 'x', 'sam2.1-hiera-tiny-fp16'],
    [{ name: 'My Pack', source: 'a long description, not a hub id' }, 'x', 'my-pack'],
    [{ source: '' }, 'Folder Name', 'folder-name'],
    [{ name: 42 }, 'f', 'f'],
  ])('%j', (raw, folder, id) => expect(packIdFromManifest(raw, folder)).toBe(id));
});

describe('uniqueId', () => {
  test('appends the first free counter', () => {
    expect(uniqueId('a', new Set())).toBe('a');
    expect(uniqueId('a', new Set(['a']))).toBe('a-2');
    expect(uniqueId('a', new Set(['a', 'a-2', 'a-3']))).toBe('a-4');
  });
  test('stays within 64 characters', () => {
    const base = 'x'.repeat(64);
    const id = uniqueId(base, new Set([base]));
    expect(id).toHaveLength(64);
    expect(id.endsWith('-2')).toBe(true);
  });
});
