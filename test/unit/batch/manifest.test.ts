// The batch manifest's validation: every bad entry named by index and field, relative paths
// resolved against the manifest's folder, never the working directory.
import { describe, expect, it } from 'vitest';
import { formatIssue, validateManifest } from '../../../src-main/core/batch/manifest';

const DIR = '/data/batch';
const prompts = { objects: [{ id: 1, prompts: [{ frame: 0, points: [[10, 10]], labels: [1] }] }] };
const ok = { video: 'a.mp4', prompts, out: 'out/a' };

function issues(jobs: unknown): string[] {
  return validateManifest(jobs, DIR).issues.map(formatIssue);
}

describe('validateManifest', () => {
  it('resolves relative paths against the manifest folder and keeps absolute ones', () => {
    const r = validateManifest(
      { jobs: [ok, { video: '/videos/b.mp4', prompts: 'p/prompts.json', model: '../packs/tiny', formats: 'png,coco', out: '/shared/b' }] },
      DIR,
    );
    expect(r.issues).toEqual([]);
    expect(r.entries.map((e) => [e.video, e.out, e.model, e.formats])).toEqual([
      ['/data/batch/a.mp4', '/data/batch/out/a', null, ['png']],
      ['/videos/b.mp4', '/shared/b', '/data/packs/tiny', ['png', 'coco']],
    ]);
    expect(r.entries[1]!.seed).toEqual({ kind: 'promptsFile', file: '/data/batch/p/prompts.json' });
  });

  it('reads segment-everything seeds with their options and keep', () => {
    const r = validateManifest(
      { jobs: [{ video: 'a.mp4', segmentEverything: { frame: 2, options: { pointsPerSide: 8, useM2m: true }, keep: 3 }, out: 'o' }] },
      DIR,
    );
    expect(r.issues).toEqual([]);
    expect(r.entries[0]!.seed).toEqual({ kind: 'segment', frame: 2, options: { pointsPerSide: 8, useM2m: true }, keep: 3 });
  });

  it.each([
    ['not a list', { jobs: 3 }, ['jobs: the manifest must be {"jobs": [...]} (or a list of jobs)']],
    ['empty', { jobs: [] }, ['jobs: is empty: nothing to submit']],
    ['entry not an object', [ok, 'x'], ['jobs[1]: must be an object {video, prompts | segmentEverything, model, formats, out}']],
    ['no video', [{ ...ok, video: '' }], ['jobs[0].video: must be a path to a video file']],
    ['no out', [{ ...ok, out: 5 }], ['jobs[0].out: must be a path to the output folder of this job']],
    ['both seeds', [{ ...ok, segmentEverything: { frame: 0 } }], ['jobs[0].segmentEverything: give exactly one of "prompts" and "segmentEverything"']],
    ['no seed', [{ video: 'a.mp4', out: 'o' }], ['jobs[0].prompts: give exactly one of "prompts" and "segmentEverything"']],
    ['bad inline prompts', [{ ...ok, prompts: { objects: [] } }], ['jobs[0].prompts: "objects" is empty']],
    ['unknown field', [{ ...ok, vidoe: 'x' }], ['jobs[0].vidoe: is not a known field (video, prompts, segmentEverything, model, formats, out)']],
    [
      'unknown format',
      [{ ...ok, formats: ['png', 'gif'] }],
      ['jobs[0].formats: must list export formats of overlay,png,palette,coco,yolo,mots; unknown: "gif"'],
    ],
    ['bad model', [{ ...ok, model: 3 }], ["jobs[0].model: must be a path to a model pack folder (or left out: the worker's --model)"]],
    [
      'segment frame',
      [{ video: 'a', out: 'o', segmentEverything: { frame: -1 } }],
      ['jobs[0].segmentEverything.frame: must be a frame index (integer ≥ 0), got -1'],
    ],
    [
      'segment keep',
      [{ video: 'a', out: 'o', segmentEverything: { frame: 0, keep: 0 } }],
      ['jobs[0].segmentEverything.keep: must be "all" or a count ≥ 1, got 0'],
    ],
    [
      'segment option',
      [{ video: 'a', out: 'o', segmentEverything: { frame: 0, options: { pointsPerSide: 0.5 } } }],
      ['jobs[0].segmentEverything.options.pointsPerSide: must be an integer in 1..128, got 0.5'],
    ],
    [
      'unknown segment option',
      [{ video: 'a', out: 'o', segmentEverything: { frame: 0, options: { points: 3 } } }],
      [expect.stringMatching(/^jobs\[0\]\.segmentEverything\.options\.points: is not a segment-everything option/)],
    ],
    ['same out', [ok, { ...ok, video: 'b.mp4' }], ['jobs[1].out: /data/batch/out/a overlaps jobs[0].out (/data/batch/out/a): each job needs its own folder']],
    [
      'nested out',
      [ok, { ...ok, out: 'out/a/inner' }],
      ['jobs[1].out: /data/batch/out/a/inner overlaps jobs[0].out (/data/batch/out/a): each job needs its own folder'],
    ],
    [
      'two bad entries, both named',
      [{ ...ok, video: 1 }, ok, { ...ok, out: null }],
      ['jobs[0].video: must be a path to a video file', 'jobs[2].out: must be a path to the output folder of this job'],
    ],
  ])('%s', (_name, raw, expected) => {
    expect(issues(raw)).toEqual(expected);
  });

  it('a sibling folder whose name starts like another out is not "inside" it', () => {
    expect(issues([ok, { ...ok, out: 'out/ab' }])).toEqual([]);
  });
});
