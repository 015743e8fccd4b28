import { describe, expect, it } from 'vitest';
import { parsePrompts } from '../../../src-main/cli/commands/run';

const parse = (v: unknown) => parsePrompts(typeof v === 'string' ? v : JSON.stringify(v), 'p.json');

describe('prompts.json', () => {
  it('reads points, boxes and objects; objects only named by prompts are added', () => {
    const spec = parse({
      objects: [{ id: 2, name: 'dog', label: 'dog' }],
      prompts: [
        { objectId: 2, frame: 0, points: [[10, 20], [30, 40]], labels: [1, 0] },
        { objectId: 2, frame: 9, box: [1, 2, 3, 4] },
      ],
    });
    expect(spec.objects).toEqual([{ id: 2, name: 'dog', label: 'dog' }]);
    expect(spec.prompts).toEqual([
      { objectId: 2, frame: 0, points: [[10, 20], [30, 40]], labels: [1, 0], box: null },
      { objectId: 2, frame: 9, points: [], labels: [], box: [1, 2, 3, 4] },
    ]);
    expect(parse({ prompts: [{ objectId: 5, frame: 1, points: [[1, 1]], labels: [1] }] }).objects).toEqual([{ id: 5 }]);
  });

  it.each([
    ['not JSON', '{', /p.json: not valid JSON/],
    ['no prompts', { prompts: [] }, /expected \{ "prompts": \[ ... \] \} with at least one prompt/],
    ['object id 0', { prompts: [{ objectId: 0, frame: 0, box: [0, 0, 1, 1] }] }, /prompts\[0\].objectId must be a positive integer/],
    ['negative frame', { prompts: [{ objectId: 1, frame: -1, box: [0, 0, 1, 1] }] }, /prompts\[0\].frame must be a frame index/],
    ['point not a pair', { prompts: [{ objectId: 1, frame: 0, points: [[1]], labels: [1] }] }, /prompts\[0\].points must be \[\[x, y\], ...\]/],
    ['labels count', { prompts: [{ objectId: 1, frame: 0, points: [[1, 2]], labels: [] }] }, /prompts\[0\].labels must hold one 1 .* per point/],
    ['label 2', { prompts: [{ objectId: 1, frame: 0, points: [[1, 2]], labels: [2] }] }, /labels must hold/],
    ['empty box', { prompts: [{ objectId: 1, frame: 0, box: [5, 5, 5, 9] }] }, /prompts\[0\].box must be \[x0, y0, x1, y1\]/],
    ['nothing to prompt with', { prompts: [{ objectId: 1, frame: 0 }] }, /prompts\[0\] needs points or a box/],
    ['unknown object', { objects: [{ id: 1 }], prompts: [{ objectId: 2, frame: 0, box: [0, 0, 1, 1] }] }, /prompts\[0\].objectId 2 is not in "objects"/],
    ['object twice', { objects: [{ id: 1 }, { id: 1 }], prompts: [{ objectId: 1, frame: 0, box: [0, 0, 1, 1] }] }, /objects\[1\]: object 1 is listed twice/],
    ['two prompts on one frame', { prompts: [{ objectId: 1, frame: 0, box: [0, 0, 1, 1] }, { objectId: 1, frame: 0, points: [[1, 1]], labels: [1] }] }, /object 1 has two prompts on frame 0/],
  ])('refuses %s, naming the file and entry', (_n, v, err) => {
    expect(() => parse(v)).toThrow(err);
  });
});
