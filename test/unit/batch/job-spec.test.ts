// Stable job ids: the same video content and spec give the same id whatever the key order or
// the video's path; any change to what the job does gives another.
import { describe, expect, it } from 'vitest';
import { batchJobId, canonicalJson, type BatchJobData } from '../../../src-main/core/batch/job-spec';

const base: BatchJobData = {
  video: '/a/v.mp4',
  videoKey: 'k1',
  seed: { kind: 'prompts', objects: [{ id: 1, prompts: [{ frame: 0, points: [[1, 2]], labels: [1], box: null }] }] },
  model: null,
  formats: ['png', 'coco'],
  out: '/o/v',
};

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: [{ d: 2, c: 1 }] }, '{"a":[{"c":1,"d":2}],"b":1}'],
    [{ x: undefined, y: null }, '{"y":null}'],
    ['s', '"s"'],
  ])('%j → %s', (v, text) => expect(canonicalJson(v)).toBe(text));
});

describe('batchJobId', () => {
  it('is stable: key order, format order and the video path do not change it', () => {
    const reordered = { out: base.out, formats: ['coco', 'png'], model: null, seed: base.seed, videoKey: 'k1', video: '/elsewhere/v.mp4' } as BatchJobData;
    expect(batchJobId(reordered)).toBe(batchJobId(base));
    expect(batchJobId(base)).toMatch(/^ml-[0-9a-f]{32}$/);
  });

  it.each([
    ['another video content', { videoKey: 'k2' }],
    ['another output folder', { out: '/o/w' }],
    ['another model', { model: '/packs/tiny' }],
    ['other formats', { formats: ['png'] }],
    ['another seed', { seed: { kind: 'segment', frame: 0, options: {}, keep: 'all' } }],
  ])('%s gives another id', (_n, change) => {
    expect(batchJobId({ ...base, ...(change as Partial<BatchJobData>) })).not.toBe(batchJobId(base));
  });
});
