import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src-main/cli/args';
import { exportRequestFromFlags, parseFormats, parseFrameRange, parseObjectIds, progressPrinter } from '../../../src-main/cli/commands/export';

describe('export flags', () => {
  it.each([
    ['png', ['png']],
    ['overlay,png,palette,coco,yolo,mots', ['overlay', 'png', 'palette', 'coco', 'yolo', 'mots']],
    [' coco , png,coco ', ['coco', 'png']],
  ])('--format %s', (v, want) => expect(parseFormats(v)).toEqual(want));

  it.each([
    ['', /--format needs at least one/],
    ['png,gif,bmp', /--format: unknown format "gif", "bmp"/],
  ])('--format "%s" is refused', (v, err) => {
    expect(() => parseFormats(v)).toThrow(err);
    expect(() => parseFormats(v)).toThrow(UsageError);
  });

  it.each([
    ['0:9', [0, 9]],
    ['5:5', [5, 5]],
    [' 3 : 12 ', [3, 12]],
  ])('--frames %s', (v, want) => expect(parseFrameRange(v)).toEqual(want));
  it.each([
    ['9:3', /last frame comes before the first/],
    ['3', /must look like A:B/],
    ['-1:4', /must look like A:B/],
    ['a:b', /must look like A:B/],
  ])('--frames %s is refused', (v, err) => expect(() => parseFrameRange(v)).toThrow(err));

  it.each([
    ['1', [1]],
    ['2,1,2', [2, 1]],
  ])('--objects %s', (v, want) => expect(parseObjectIds(v)).toEqual(want));
  it.each(['0', '1,,2', 'x', '1.5', ''])('--objects "%s" is refused', (v) => expect(() => parseObjectIds(v)).toThrow(/--objects must be object ids/));

  it('builds the request, leaving out what was not given', () => {
    expect(exportRequestFromFlags({ format: 'png', out: '/o' })).toEqual({ formats: ['png'], outDir: '/o' });
    expect(exportRequestFromFlags({ format: 'png', out: '/o', frames: '1:2', objects: '3' })).toEqual({
      formats: ['png'],
      outDir: '/o',
      frames: [1, 2],
      objectIds: [3],
    });
    expect(exportRequestFromFlags({ format: 'png', out: '/o', 'skip-empty': true })).toEqual({ formats: ['png'], outDir: '/o', png: { skipEmpty: true } });
  });
});

describe('progress on the console', () => {
  it('prints phase changes and the end at once, in-between reports at most every interval', () => {
    let t = 0;
    const lines: string[] = [];
    const p = progressPrinter(
      (l) => lines.push(l),
      1000,
      () => t,
    );
    const at = (time: number, phase: 'overlay' | 'masks', done: number) => {
      t = time;
      p({ phase, done, total: 20, unit: 'frames' });
    };
    at(0, 'overlay', 1);
    at(500, 'overlay', 2);
    at(1200, 'overlay', 5);
    at(1300, 'masks', 11);
    at(1400, 'masks', 20);
    expect(lines).toEqual(['overlay: 1/20 frames (5 %)', 'overlay: 5/20 frames (25 %)', 'masks: 11/20 frames (55 %)', 'masks: 20/20 frames (100 %)']);
  });
});
