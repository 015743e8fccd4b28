import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { catalogSummary, findEntry, loadCatalogs, parseCatalog } from '../../../src-main/core/models/catalog';
import { ModelsError } from '../../../src-main/core/models/errors';

const HEX = 'a'.repeat(64);
const file = (name: string, over: Record<string, unknown> = {}) => ({ name, url: `https://packs.example.org/p/${name}`, bytes: 10, sha256: HEX, ...over });
const entry = (over: Record<string, unknown> = {}) => ({
  id: 'sam2.1-hiera-tiny',
  name: 'Tiny',
  source: 'facebook/sam2.1-hiera-tiny',
  description: 'd',
  format_version: 1,
  files: [file('model.json'), file('params.bin', { bytes: 20 })],
  ...over,
});
const doc = (entries: unknown[], over: Record<string, unknown> = {}) => ({ catalog_version: 1, entries, ...over });

function problem(raw: unknown): string {
  try {
    parseCatalog(raw, 'catalog.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ModelsError);
    expect((e as ModelsError).code).toBe('CATALOG_INVALID');
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('parseCatalog accepts', () => {
  test('an entry with absolute URLs; size is the sum of the files', () => {
    const [e] = parseCatalog(doc([entry()]), 'c');
    expect(e).toMatchObject({ id: 'sam2.1-hiera-tiny', size: 30, available: true, reason: null, formatVersion: 1 });
    expect(e!.files[1]).toEqual({ name: 'params.bin', url: 'https://packs.example.org/p/params.bin', bytes: 20, sha256: HEX });
  });

  test('relative URLs against the catalog or entry base_url', () => {
    const raw = doc([entry({ base_url: 'tiny/', files: [file('model.json', { url: 'model.json' })] })], { base_url: 'http://10.0.0.5:8080/packs/' });
    expect(parseCatalog(raw, 'c')[0]!.files[0]!.url).toBe('http://10.0.0.5:8080/packs/tiny/model.json');
  });

  test('an unavailable entry with a reason and no files', () => {
    const [e] = parseCatalog(doc([entry({ available: false, reason: 'not hosted', files: [], size: null })]), 'c');
    expect(e).toMatchObject({ available: false, reason: 'not hosted', size: null });
  });

  test('an entry of another pack format is listed but not available', () => {
    const [e] = parseCatalog(doc([entry({ format_version: 2 })]), 'c');
    expect(e!.available).toBe(false);
    expect(e!.reason).toMatch(/pack format version 2; this version of Maskline reads version 1/);
  });
});

describe('parseCatalog refuses', () => {
  test.each([
    ['not an object', [], /must be a JSON object/],
    ['another catalog version', doc([], { catalog_version: 2 }), /catalog_version is 2, this Maskline reads version 1/],
    ['no entries list', { catalog_version: 1 }, /"entries" must be a list/],
    ['a bad id', doc([entry({ id: 'Bad Id' })]), /entries\[0\]: id must be lower-case/],
    ['a duplicate id', doc([entry(), entry()]), /id "sam2.1-hiera-tiny" is used twice/],
    ['a missing name', doc([entry({ name: ' ' })]), /\("sam2.1-hiera-tiny"\): name must be a non-empty string/],
    ['no model.json', doc([entry({ files: [file('params.bin')] })]), /files must include model.json/],
    ['a path as file name', doc([entry({ files: [file('model.json'), file('../x')] })]), /files\[1\]: name must be a plain file name/],
    ['a hidden file name', doc([entry({ files: [file('model.json'), file('.x')] })]), /files\[1\]: name must be a plain file name/],
    ['a file listed twice', doc([entry({ files: [file('model.json'), file('model.json')] })]), /file model.json is listed twice/],
    ['a non-http URL', doc([entry({ files: [file('model.json', { url: 'file:///etc/passwd' })] })]), /must be http or https/],
    ['a relative URL without base', doc([entry({ files: [file('model.json', { url: 'model.json' })] })]), /relative URLs need "base_url"/],
    ['a zero size', doc([entry({ files: [file('model.json', { bytes: 0 })] })]), /bytes must be a positive integer/],
    ['a bad sha256', doc([entry({ files: [file('model.json', { sha256: 'xyz' })] })]), /sha256 must be 64 hex digits/],
    ['a size that contradicts the files', doc([entry({ size: 31 })]), /size is 31 but the files add up to 30 bytes/],
    ['unavailable without reason', doc([entry({ available: false })]), /needs a "reason"/],
    ['a non-boolean available', doc([entry({ available: 'no' })]), /available must be true or false/],
    ['a non-integer format_version', doc([entry({ format_version: '1' })]), /format_version must be an integer/],
  ])('%s', (_label, raw, msg) => {
    expect(problem(raw)).toMatch(msg);
  });
});

describe('loadCatalogs', () => {
  test('the shipped models/catalog.json is valid and honest: nothing downloadable yet, each entry says how to get it', () => {
    const path = resolve(fileURLToPath(new URL('../../../models/catalog.json', import.meta.url)));
    const entries = loadCatalogs([path]);
    expect(entries.map((e) => e.id)).toEqual(['sam2.1-hiera-tiny', 'sam2.1-hiera-small', 'sam2.1-hiera-base-plus', 'sam2.1-hiera-large', 'edgetam']);
    // EdgeTAM, the fast family, with the exporter's command (issue 17)
    expect(entries.find((e) => e.id === 'edgetam')!.reason).toContain('python models/export/export_sam2.py --model facebook/EdgeTAM --out edgetam');
    for (const e of entries) {
      expect(e.available).toBe(false);
      expect(e.reason).toContain(`export_sam2.py --model ${e.source}`);
    }
  });

  test('later catalogs replace entries with the same id; errors name the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'maskline-catalog-'));
    try {
      const a = join(dir, 'a.json');
      const b = join(dir, 'b.json');
      writeFileSync(a, JSON.stringify(doc([entry({ available: false, reason: 'r', files: [] }), entry({ id: 'other' })])));
      writeFileSync(b, JSON.stringify(doc([entry()])));
      const merged = loadCatalogs([a, b]);
      expect(merged.map((e) => [e.id, e.available])).toEqual([
        ['sam2.1-hiera-tiny', true],
        ['other', true],
      ]);
      expect(catalogSummary(merged)[0]).toEqual({ id: 'sam2.1-hiera-tiny', name: 'Tiny', bytes: 30, description: 'd', source: 'facebook/sam2.1-hiera-tiny', available: true, reason: null });
      expect(findEntry(merged, 'other').id).toBe('other');
      expect(() => findEntry(merged, 'nope')).toThrow(/no catalog entry with id "nope" \(known: sam2.1-hiera-tiny, other\)/);
      writeFileSync(b, '{ not json');
      expect(() => loadCatalogs([a, b])).toThrow(new RegExp(`catalog ${b.replace(/[.\\/]/g, '\\$&')} is not valid JSON`));
      expect(() => loadCatalogs([join(dir, 'missing.json')])).toThrow(/missing\.json cannot be read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
