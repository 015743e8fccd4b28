import { describe, expect, it } from 'vitest';
import type { ExportRequest } from '../../../src-main/api/contract';
import { planExport } from '../../../src-main/core/export/plan';
import type { ExportObject, ExportVideo } from '../../../src-main/core/export/types';

const video: ExportVideo = { path: '/v.mp4', name: 'v.mp4', width: 64, height: 48, fps: 25, frames: 10, hasAudio: false };
const objects: ExportObject[] = [
  { id: 2, name: 'b', label: 'dog', color: '#00ff00' },
  { id: 1, name: 'a', label: 'cat', color: '#ff0000' },
];
const req = (r: Partial<ExportRequest>): ExportRequest => ({ formats: ['png'], outDir: '/out', ...r });

describe('planExport', () => {
  it('defaults: all frames, all objects ascending, canonical format order, green at 40 %', () => {
    const p = planExport(video, objects, req({ formats: ['mots', 'overlay', 'png', 'png'] }));
    expect(p.formats).toEqual(['overlay', 'png', 'mots']);
    expect([p.first, p.last]).toEqual([0, 9]);
    expect(p.objects.map((o) => o.id)).toEqual([1, 2]);
    expect(p.overlay.opacity).toBe(0.4);
    expect(p.overlay.outlines).toBe(false);
    expect([...p.overlay.colors]).toEqual([
      [1, [0, 255, 0]],
      [2, [0, 255, 0]],
    ]);
  });

  it('takes range, objects and per-object colours', () => {
    const p = planExport(video, objects, req({ frames: [3, 3], objectIds: [2], overlay: { perObjectColors: true, outlines: true, opacity: 0 } }));
    expect([p.first, p.last]).toEqual([3, 3]);
    expect(p.objects.map((o) => o.id)).toEqual([2]);
    expect(p.overlay).toEqual({ opacity: 0, outlines: true, colors: new Map([[2, [0, 255, 0]]]) });
  });

  it.each([
    ['no formats', req({ formats: [] }), /formats: choose at least one/],
    ['unknown format', req({ formats: ['gif' as never] }), /unknown format "gif"/],
    ['empty outDir', req({ outDir: ' ' }), /outDir: an output folder is required/],
    ['relative outDir (would land in the working directory)', req({ outDir: 'exports/run1' }), /outDir: must be an absolute path \(got "exports\/run1"\)/],
    ['range past the end', req({ frames: [5, 10] }), /frames: 5:10 is not a range inside the video's frames 0:9/],
    ['reversed range', req({ frames: [5, 4] }), /frames: 5:4/],
    ['negative range', req({ frames: [-1, 4] }), /frames: -1:4/],
    ['fractional range', req({ frames: [1.5, 4] }), /frames: expected \[first, last\] as integers/],
    ['unknown object', req({ objectIds: [1, 7] }), /objectIds: no object with id 7 \(the project has 1, 2\)/],
    ['no objects chosen', req({ objectIds: [] }), /objectIds: choose at least one object/],
    ['opacity above 1', req({ overlay: { opacity: 1.5 } }), /overlay.opacity: expected 0..1, got 1.5/],
  ])('rejects %s', (_n, r, err) => {
    expect(() => planExport(video, objects, r)).toThrow(err);
    try {
      planExport(video, objects, r);
    } catch (e) {
      expect((e as { code: string }).code).toBe('EXPORT_BAD_REQUEST');
    }
  });

  it('rejects a project without objects', () => {
    expect(() => planExport(video, [], req({}))).toThrow(/the project has no objects to export/);
  });

  it('rejects palette export of object ids that do not fit a byte, but not other formats', () => {
    const big = [...objects, { id: 256, name: 'z', label: '', color: '#000000' }];
    expect(() => planExport(video, big, req({ formats: ['palette'] }))).toThrow(/palette: object ids must be 1..255 .* got 256/);
    expect(planExport(video, big, req({ formats: ['png'] })).objects).toHaveLength(3);
    expect(planExport(video, big, req({ formats: ['palette'], objectIds: [1, 2] })).objects).toHaveLength(2);
  });

  it('rejects a bad object colour only when per-object colours are asked for', () => {
    const odd = [{ id: 1, name: 'a', label: '', color: 'red' }];
    expect(() => planExport(video, odd, req({ overlay: { perObjectColors: true } }))).toThrow(/object 1 \(a\) has colour "red", expected #rrggbb/);
    expect(() => planExport(video, odd, req({}))).not.toThrow();
  });
});
