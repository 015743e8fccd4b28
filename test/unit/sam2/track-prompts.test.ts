import { describe, expect, test } from 'vitest';
import { PNG } from 'pngjs';
import { encodeBinaryMaskPng } from '../../../src-main/core/masks/png';
import { parseTrackPrompts } from '../../../src-main/core/sam2/track-prompts';

describe('prompts.json of maskline track', () => {
  test('parses points, labels and boxes (each optional)', () => {
    const r = parseTrackPrompts({
      objects: [
        {
          id: 1,
          prompts: [
            { frame: 0, points: [[40, 90]], labels: [1] },
            { frame: 5, box: [1, 2, 3, 4] },
          ],
        },
        { id: 2, prompts: [{ frame: 3, points: [[1, 1]], labels: [0], box: [0, 0, 9, 9] }] },
      ],
    });
    expect(r).toEqual([
      {
        id: 1,
        prompts: [
          { frame: 0, points: [[40, 90]], labels: [1], box: null },
          { frame: 5, points: [], labels: [], box: [1, 2, 3, 4] },
        ],
      },
      { id: 2, prompts: [{ frame: 3, points: [[1, 1]], labels: [0], box: [0, 0, 9, 9] }] },
    ]);
  });

  test.each([
    { raw: [], msg: /top level must be/ },
    { raw: { objects: [] }, msg: /"objects" is empty/ },
    { raw: { objects: [{ id: 'a', prompts: [] }] }, msg: /objects\[0\]\.id must be an integer/ },
    {
      raw: {
        objects: [
          { id: 1, prompts: [{ frame: 0, box: [0, 0, 1, 1] }] },
          { id: 1, prompts: [{ frame: 0, box: [0, 0, 1, 1] }] },
        ],
      },
      msg: /objects\[1\]\.id 1 is used twice/,
    },
    { raw: { objects: [{ id: 1, prompts: [] }] }, msg: /prompts must be a non-empty list/ },
    { raw: { objects: [{ id: 1, prompts: [{ frame: -1, box: [0, 0, 1, 1] }] }] }, msg: /frame must be a frame index/ },
    { raw: { objects: [{ id: 1, prompts: [{ frame: 0, points: [[1, 2]], labels: [] }] }] }, msg: /labels has 0 values for 1 points/ },
    { raw: { objects: [{ id: 1, prompts: [{ frame: 0, points: [[1]], labels: [1] }] }] }, msg: /points must be a list of \[x, y\] pairs/ },
    { raw: { objects: [{ id: 1, prompts: [{ frame: 0, box: [1, 2, 3] }] }] }, msg: /box must be \[x0, y0, x1, y1\]/ },
    { raw: { objects: [{ id: 1, prompts: [{ frame: 0, box: [5, 2, 3, 9] }] }] }, msg: /box must have x1 > x0 and y1 > y0/ },
    { raw: { objects: [{ id: 1, prompts: [{ frame: 0, points: [[1, 2]], labels: [2] }] }] }, msg: /labels must be a list of 0\/1 values/ },
    {
      raw: {
        objects: [
          {
            id: 1,
            prompts: [
              { frame: 2, box: [0, 0, 1, 1] },
              { frame: 2, points: [[1, 1]], labels: [1] },
            ],
          },
        ],
      },
      msg: /frame 2 is prompted twice/,
    },
  ])('refuses $raw', ({ raw, msg }) => {
    expect(() => parseTrackPrompts(raw, 'p.json')).toThrow(msg);
    expect(() => parseTrackPrompts(raw, 'p.json')).toThrow(/^p\.json: /);
  });
});

describe('mask PNG', () => {
  test('8-bit greyscale, 0/255, round-trips', async () => {
    const m = Uint8Array.from([0, 1, 1, 0, 7, 0]);
    const png = PNG.sync.read(await encodeBinaryMaskPng(m, 3, 2));
    expect([png.width, png.height]).toEqual([3, 2]);
    expect(Array.from({ length: 6 }, (_, i) => png.data[i * 4])).toEqual([0, 255, 255, 0, 255, 0]);
    expect(() => encodeBinaryMaskPng(m, 2, 2)).toThrow(/6 values for 2×2/);
  });
});
