// The Batch panel's request → manifest (services/batch-api.ts) on a real folder, and the
// panel's pure helpers.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestOfRequest } from '../../../src-main/services/batch-api';
import { etaText, pathLines, progressText, projectDirOf } from '../../../src-renderer/src/lib/batch-form';
import { tempDir } from '../../helpers/make-video';

let t: ReturnType<typeof tempDir>;
beforeEach(() => (t = tempDir('maskline-batch-request-')));
afterEach(() => t.cleanup());

const base = { redisUrl: 'redis://127.0.0.1:6379', formats: ['png' as const], seed: { kind: 'prompts' as const, promptsFile: '/p/prompts.json' } };

describe('manifestOfRequest', () => {
  it('one job per video, picked and from the folder (video extensions only, sorted, once each), out named after the video', () => {
    const dir = join(t.dir, 'clips');
    mkdirSync(dir);
    for (const n of ['b.MP4', 'a.mov', 'notes.txt']) writeFileSync(join(dir, n), 'x');
    const m = manifestOfRequest({ ...base, videos: ['/v/x.mp4', join(dir, 'a.mov')], folder: dir, outRoot: '/out' });
    expect(m.jobs).toEqual([
      { video: '/v/x.mp4', prompts: '/p/prompts.json', formats: ['png'], out: '/out/x' },
      { video: join(dir, 'a.mov'), prompts: '/p/prompts.json', formats: ['png'], out: '/out/a' },
      { video: join(dir, 'b.MP4'), prompts: '/p/prompts.json', formats: ['png'], out: '/out/b' },
    ]);
  });

  it('segment everything and a model pass through; no video at all is a clear error', () => {
    const m = manifestOfRequest({
      ...base,
      videos: ['/v/x.mp4'],
      seed: { kind: 'segment', frame: 2, options: { pointsPerSide: 8 }, keep: 3 },
      model: '/packs/tiny',
      outRoot: '/out',
    });
    expect(m.jobs).toEqual([
      { video: '/v/x.mp4', segmentEverything: { frame: 2, options: { pointsPerSide: 8 }, keep: 3 }, model: '/packs/tiny', formats: ['png'], out: '/out/x' },
    ]);
    expect(() => manifestOfRequest({ ...base, videos: [], outRoot: '/out' })).toThrow(/Pick at least one video or a folder/);
    expect(() => manifestOfRequest({ ...base, videos: [], folder: t.dir, outRoot: '/out' })).toThrow(/No video files in/);
    expect(() => manifestOfRequest({ ...base, videos: [], folder: join(t.dir, 'missing'), outRoot: '/out' })).toThrow(/Cannot list the folder/);
  });
});

describe('panel helpers', () => {
  it.each([
    ['a\n\n  b  \r\nc', ['a', 'b', 'c']],
    ['', []],
  ])('pathLines(%j)', (text, lines) => expect(pathLines(text)).toEqual(lines));

  it('progress and ETA text', () => {
    expect(progressText({ state: 'done', frames: 12, progress: null })).toBe('12 frames');
    expect(progressText({ state: 'active', frames: null, progress: { phase: 'propagate', done: 3, total: 12, unit: 'frames', fps: 2.5, worker: 'h/1' } })).toBe(
      'propagate 3/12 · 2.5 fps',
    );
    expect(progressText({ state: 'waiting', frames: null, progress: null })).toBe('');
    expect([etaText(null), etaText(41.2), etaText(185)]).toEqual(['?', '42 s', '3 min 5 s']);
  });

  it("a job's project folder", () => {
    expect(projectDirOf({ out: '/shared/out/a' } as never)).toBe('/shared/out/a/project');
    expect(projectDirOf({ out: 'C:\\out\\a' } as never)).toBe('C:\\out\\a\\project');
  });
});
