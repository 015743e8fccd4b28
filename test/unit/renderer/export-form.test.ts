import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EXPORT_LOOK,
  EXPORT_FORMATS,
  defaultExportDir,
  exportResultInfo,
  joinPath,
  resolveDestination,
  validateExport,
  type ExportForm,
} from '../../../src-renderer/src/lib/export-form';

const form = (o: Partial<ExportForm> = {}): ExportForm => ({
  formats: ['png'],
  from: 0,
  to: 99,
  objectIds: [1, 2],
  perObjectColors: true,
  outlines: false,
  opacity: 0.5,
  outDir: '/tmp/out',
  skipEmpty: false,
  ...o,
});

describe('validateExport', () => {
  it('the whole video and every object send no range and no object list', () => {
    expect(validateExport(form(), 100, [1, 2])).toEqual({ ok: true, request: { formats: ['png'], outDir: '/tmp/out' } });
  });
  it('a range, a subset of objects and overlay options are sent', () => {
    expect(validateExport(form({ formats: ['overlay', 'coco'], from: 10, to: 20, objectIds: [2], outlines: true, opacity: 3 }), 100, [1, 2])).toEqual({
      ok: true,
      request: {
        formats: ['overlay', 'coco'],
        outDir: '/tmp/out',
        frames: [10, 20],
        objectIds: [2],
        overlay: { perObjectColors: true, outlines: true, opacity: 1 },
      },
    });
  });
  it('objects deleted since the dialog opened are left out', () => {
    const r = validateExport(form({ objectIds: [2, 7] }), 100, [1, 2]);
    expect(r.ok && r.request.objectIds).toEqual([2]);
  });
  const bad: [string, Partial<ExportForm>, RegExp][] = [
    ['no format', { formats: [] }, /at least one format/],
    ['no folder', { outDir: '   ' }, /folder/],
    ['range past the end', { to: 100 }, /within 0–99/],
    ['negative start', { from: -1 }, /within 0–99/],
    ['reversed range', { from: 50, to: 40 }, /first frame \(50\) is after the last \(40\)/],
    ['fractional frames', { from: 1.5 }, /whole frame numbers/],
    ['no objects', { objectIds: [] }, /at least one object/],
    ['only deleted objects', { objectIds: [9] }, /at least one object/],
  ];
  it.each(bad)('refuses %s', (_n, o, msg) => {
    const r = validateExport(form(o), 100, [1, 2]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(msg);
  });
  it('knows the six formats of the contract', () => {
    expect(EXPORT_FORMATS.map((f) => f.id)).toEqual(['overlay', 'png', 'palette', 'coco', 'yolo', 'mots']);
  });
});

describe('exportResultInfo', () => {
  const cases: [string, unknown, { outDir: string; warnings: string[]; fileCount: number | null }][] = [
    ['null result', null, { outDir: '/fallback', warnings: [], fileCount: null }],
    [
      'outDir, warnings, file count',
      { outDir: '/x', warnings: ['frame 3 has no mask', 4], fileCount: 12 },
      { outDir: '/x', warnings: ['frame 3 has no mask'], fileCount: 12 },
    ],
    ['dir spelled differently', { dir: '/y', fileCount: 'many' }, { outDir: '/y', warnings: [], fileCount: null }],
    ['not an object', 'weird', { outDir: '/fallback', warnings: [], fileCount: null }],
  ];
  it.each(cases)('%s', (_n, r, want) => expect(exportResultInfo(r, '/fallback')).toEqual(want));
});

describe('the destination shown before exporting (issue 13)', () => {
  const folders = { homeDir: '/home/ada', documentsDir: '/home/ada/Documents' };
  it.each<[string, string, string]>([
    ['absolute as typed', '/data/out', '/data/out'],
    ['absolute, tidied', '/data//x/./y/../out/', '/data/x/out'],
    ['relative: under Documents, never the working directory', 'exports/run1', '/home/ada/Documents/exports/run1'],
    ['~ is home', '~', '/home/ada'],
    ['~/ under home', '~/clips/out', '/home/ada/clips/out'],
    ['.. cannot climb above the root', '../../../../x', '/x'],
    ['Windows drive path', 'C:\\Users\\ada\\out', 'C:\\Users\\ada\\out'],
  ])('%s: %s → %s', (_n, input, path) => {
    expect(resolveDestination(input, folders)).toEqual({ ok: true, path });
  });

  it('without the user folders only absolute entries resolve', () => {
    expect(resolveDestination('out', null)).toMatchObject({ ok: false, message: expect.stringMatching(/full path/) });
    expect(resolveDestination('  ', folders)).toMatchObject({ ok: false });
  });

  it('the request carries the resolved absolute path and png.skipEmpty when chosen', () => {
    expect(validateExport(form({ outDir: 'run1', skipEmpty: true }), 100, [1, 2], folders)).toEqual({
      ok: true,
      request: { formats: ['png'], outDir: '/home/ada/Documents/run1', png: { skipEmpty: true } },
    });
    expect(validateExport(form({ formats: ['coco'], skipEmpty: true }), 100, [1, 2], folders)).toEqual({
      ok: true,
      request: { formats: ['coco'], outDir: '/tmp/out' },
    });
  });

  it('the default lives under Documents, named after the video', () => {
    expect(defaultExportDir(folders, 'bedroom.mp4')).toBe('/home/ada/Documents/Maskline exports/bedroom');
    expect(defaultExportDir({ homeDir: 'C:\\Users\\ada', documentsDir: 'C:\\Users\\ada\\Documents' }, 'a:b.mov')).toBe(
      'C:\\Users\\ada\\Documents\\Maskline exports\\a_b',
    );
    expect(joinPath('/', 'a')).toBe('/a');
  });

  it('the overlay defaults to the CLI look: one green at 40 %', () => {
    expect(DEFAULT_EXPORT_LOOK).toEqual({ perObjectColors: false, outlines: false, opacity: 0.4 });
  });
});
