// The export through the real job registry: progress in the snapshot, cancel by job id.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { JobRegistry } from '../../../src-main/core/jobs';
import { encodeMask } from '../../../src-main/core/masks/rle';
import { EXPORT_JOB_OPTIONS, exportJob, type ExportSource } from '../../../src-main/core/export';
import { tempDir } from '../../helpers/make-video';
import { disc } from './mask-shapes';

const W = 320;
const H = 240;
const FRAMES = 60;
const source: ExportSource = {
  video: { path: '/unused.mp4', name: 'x.mp4', width: W, height: H, fps: 25, frames: FRAMES, hasAudio: false },
  objects: [{ id: 1, name: 'a', label: 'thing', color: '#ff0000' }],
  masksAt: (f) => [{ objectId: 1, rle: encodeMask(disc(W, H, 40 + 3 * f, 120, 30), H, W), score: 1 }],
};

let t: ReturnType<typeof tempDir>;
beforeEach(() => (t = tempDir('maskline-export-job-')));
afterEach(() => t.cleanup());

describe('export as a registry job', () => {
  it('runs to done with frames as its unit and the result as its value', async () => {
    const registry = new JobRegistry({ throttleMs: 0 });
    const seen: number[] = [];
    registry.on((s) => s.state === 'running' && seen.push(s.done));
    const job = registry.create('export', 'Export', exportJob(source, { formats: ['png', 'coco'], outDir: t.dir }), EXPORT_JOB_OPTIONS);
    const outcome = await job.outcome;
    expect(outcome.state).toBe('done');
    expect(outcome.state === 'done' && outcome.value.frames).toBe(FRAMES);
    expect(job.snapshot()).toMatchObject({ state: 'done', unit: 'frames', total: FRAMES, done: FRAMES });
    expect(seen.length).toBeGreaterThan(1);
  });

  it('cancels by id and leaves nothing it created: the folder it made is gone', async () => {
    const registry = new JobRegistry({ throttleMs: 0 });
    const out = join(t.dir, 'out');
    const job = registry.create('export', 'Export', exportJob(source, { formats: ['png', 'palette', 'yolo'], outDir: out }), EXPORT_JOB_OPTIONS);
    registry.on((s) => s.id === job.id && s.done >= 3 && registry.cancel(job.id));
    expect((await job.outcome).state).toBe('cancelled');
    await job.settled;
    expect(existsSync(out)).toBe(false);
    expect(existsSync(t.dir)).toBe(true);
  });

  it('fails with the export error code for a bad request', async () => {
    const registry = new JobRegistry({ throttleMs: 0 });
    const job = registry.create('export', 'Export', exportJob(source, { formats: ['png'], outDir: t.dir, objectIds: [5] }));
    expect(await job.outcome).toMatchObject({ state: 'failed', error: { code: 'EXPORT_BAD_REQUEST', message: expect.stringMatching(/no object with id 5/) } });
  });
});
