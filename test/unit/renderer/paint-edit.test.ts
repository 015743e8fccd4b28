// The paint tools' pure decisions: brush size steps, closing a polygon, the edited mask of each
// tool (through the one rasteriser), what the UI calls a frame's mask, and the import form.
import { describe, expect, it } from 'vitest';
import { brushSizeStep, closesPolygon, editedMask, maskOrigin, type MaskEdit } from '../../../src-renderer/src/lib/paint-edit';
import { importRequest, type ImportForm } from '../../../src-renderer/src/lib/import-form';
import type { PromptInfo } from '../../../src-main/api/contract';

describe('brushSizeStep', () => {
  it.each([
    [16, 1, 20],
    [20, -1, 16],
    [1, 1, 2],
    [2, -1, 1],
    [1, -1, 1],
    [400, 1, 400],
    [3, 1, 4],
  ] as [number, 1 | -1, number][])('%i by %i → %i', (size, by, next) => {
    expect(brushSizeStep(size, by)).toBe(next);
  });
});

describe('closesPolygon', () => {
  it.each([
    ['a click on the first vertex with 3 vertices', 3, [100, 100], [104, 103], true],
    ['too far from it', 3, [100, 100], [112, 100], false],
    ['only 2 vertices', 2, [100, 100], [100, 100], false],
  ] as [string, number, [number, number], [number, number], boolean][])('%s', (_n, count, first, click, closes) => {
    expect(closesPolygon(count, first, click)).toBe(closes);
  });
});

describe('editedMask', () => {
  const W = 6;
  const H = 4;
  const rows = (m: Uint8Array) => Array.from({ length: H }, (_, y) => Array.from(m.subarray(y * W, (y + 1) * W)).join(''));
  const base = Uint8Array.from({ length: W * H }, (_, i) => (i % W < 3 ? 1 : 0));
  it.each([
    [
      'brush adds a line to nothing',
      null,
      {
        kind: 'stroke',
        points: [
          [0.5, 1.5],
          [5.5, 1.5],
        ],
        size: 1,
        erase: false,
      },
      ['000000', '111111', '000000', '000000'],
    ],
    ['brush keeps what was there', base, { kind: 'stroke', points: [[4.5, 3.5]], size: 1, erase: false }, ['111000', '111000', '111000', '111010']],
    [
      'eraser removes only under the stroke',
      base,
      {
        kind: 'stroke',
        points: [
          [1.5, 0.5],
          [1.5, 3.5],
        ],
        size: 1,
        erase: true,
      },
      ['101000', '101000', '101000', '101000'],
    ],
    [
      'polygon adds its inside',
      base,
      {
        kind: 'polygon',
        vertices: [
          [4, 0],
          [6, 0],
          [6, 2],
          [4, 2],
        ],
        subtract: false,
      },
      ['111011', '111011', '111000', '111000'],
    ],
    [
      'Shift+polygon subtracts',
      base,
      {
        kind: 'polygon',
        vertices: [
          [0, 1],
          [2, 1],
          [2, 3],
          [0, 3],
        ],
        subtract: true,
      },
      ['111000', '001000', '001000', '111000'],
    ],
  ] as [string, Uint8Array | null, MaskEdit, string[]][])('%s', (_n, b, edit, want) => {
    const before = b ? Uint8Array.from(b) : null;
    expect(rows(editedMask(b, W, H, edit))).toEqual(want);
    if (b) expect(b).toEqual(before);
  });
});

describe('maskOrigin', () => {
  const prompts: PromptInfo[] = [
    { objectId: 1, frame: 4, points: [], labels: [], box: null, hasMask: true },
    { objectId: 2, frame: 4, points: [[1, 2]], labels: [1], box: null, hasMask: false },
  ];
  it.each([
    ['a mask prompt', 1, 4, 'prompt', 'as painted'],
    ['a mask prompt corrected after propagation', 1, 4, 'corrected', 'as painted'],
    ['a click prompt', 2, 4, 'prompt', 'SAM 2 output'],
    ['a propagated frame', 1, 5, 'propagated', 'SAM 2 output'],
    ['an imported fixed mask', 3, 4, 'fixed', 'fixed (imported)'],
    ['no mask', 1, 6, undefined, null],
  ] as const)('%s', (_n, id, frame, source, origin) => {
    expect(maskOrigin(prompts, source, id, frame)).toBe(origin);
  });
});

describe('importRequest', () => {
  const f = (x: Partial<ImportForm>): ImportForm => ({ format: 'coco', path: '/data/a.json', as: 'prompts', pick: 'all', every: 5, ...x });
  it.each([
    ['prompts on every frame', f({}), { ok: true, request: { format: 'coco', path: '/data/a.json', as: 'prompts', pick: 'all' } }],
    ['every 5th', f({ pick: 'every' }), { ok: true, request: { format: 'coco', path: '/data/a.json', as: 'prompts', pick: { every: 5 } } }],
    ['fixed ignores the frame choice', f({ as: 'fixed', pick: 'first' }), { ok: true, request: { format: 'coco', path: '/data/a.json', as: 'fixed' } }],
    [
      'a Windows path',
      f({ path: 'C:\\data\\masks', format: 'png' }),
      { ok: true, request: { format: 'png', path: 'C:\\data\\masks', as: 'prompts', pick: 'all' } },
    ],
    ['no path', f({ path: '  ' }), { ok: false, error: 'Enter the path of the file or folder to import.' }],
    ['a relative path', f({ path: 'a.json' }), { ok: false, error: 'a.json is not an absolute path.' }],
    ['every 0', f({ pick: 'every', every: 0 }), { ok: false, error: 'Every N frames needs a whole number of at least 1.' }],
  ] as [string, ImportForm, unknown][])('%s', (_n, form, out) => {
    expect(importRequest(form)).toEqual(out);
  });
});
