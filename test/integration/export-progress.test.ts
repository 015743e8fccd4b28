// Issue 13 item 16: an export's progress counts frames. A 200-frame video exported as overlay +
// masks used to read "400 / 400 frames" (one pass per phase added up); now done counts the
// frames every requested format has finished, out of the 200 the range has.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { JobRegistry } from '../../src-main/core/jobs';
import { EXPORT_JOB_OPTIONS, exportJob, storeExportSource } from '../../src-main/core/export';
import type { JobSnapshot } from '../../src-main/api/contract';
import type { ProjectStore } from '../../src-main/core/store';
import { makeVideo, tempDir } from '../helpers/make-video';
import { disc } from '../unit/export/mask-shapes';
import { makeProject } from '../unit/export/fixture-project';

const FRAMES = 200;
let t: ReturnType<typeof tempDir>;
let store: ProjectStore;

beforeAll(async () => {
  t = tempDir('maskline-export-progress-');
  const video = makeVideo(join(t.dir, 'clip.mp4'), { width: 64, height: 48, frames: FRAMES });
  store = await makeProject(join(t.dir, 'project'), video, [{ name: 'a', label: 'thing' }], () =>
    Array.from({ length: FRAMES }, (_, f) => ({ objectId: 1, frame: f, bitmap: disc(64, 48, 20 + (f % 20), 24, 8), score: 1 })),
  );
});
afterAll(() => {
  store.close();
  t.cleanup();
});

describe('export progress', () => {
  it('a 200-frame video exported as overlay, PNGs and COCO reads n / 200 frames, ending at 200 / 200', async () => {
    const registry = new JobRegistry({ throttleMs: 0 });
    const seen: JobSnapshot[] = [];
    const job = registry.create(
      'export',
      'Export',
      exportJob(storeExportSource(store), { formats: ['overlay', 'png', 'coco'], outDir: join(t.dir, 'out') }),
      EXPORT_JOB_OPTIONS,
    );
    registry.on((s) => s.id === job.id && seen.push(s));
    const outcome = await job.outcome;
    expect(outcome.state).toBe('done');
    const running = seen.filter((s) => s.state === 'running' && s.total > 0);
    expect(running.length).toBeGreaterThan(2);
    for (const s of running) {
      expect(s.total).toBe(FRAMES);
      expect(s.unit).toBe('frames');
      expect(s.done).toBeLessThanOrEqual(FRAMES);
    }
    // monotonic: a frame once counted stays counted
    for (let i = 1; i < running.length; i++) expect(running[i]!.done).toBeGreaterThanOrEqual(running[i - 1]!.done);
    expect(job.snapshot()).toMatchObject({ state: 'done', done: FRAMES, total: FRAMES, unit: 'frames' });
  });
});
