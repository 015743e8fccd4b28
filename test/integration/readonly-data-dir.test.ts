// Issue 13 item 6: a read-only data dir. app.info (the UI's start-up banner) says so, projects in
// it open read-only for viewing and export, and edits are refused up front with READ_ONLY.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo, JobSnapshot, ProjectState } from '../../src-main/api/contract';
import { editsProject } from '../../src-main/services/read-only-rules';
import { makeVideo, tempDir } from '../helpers/make-video';
import { ok, testServices, until } from '../helpers/services';
import { canMountTmpfs, mountTmpfs } from '../helpers/tmpfs';

const work = tempDir('maskline-ro-data-');
const mountable = canMountTmpfs();
const dataDir = join(work.dir, 'data');
let unmount: (() => void) | null = null;

beforeAll(() => {
  mkdirSync(dataDir);
  if (mountable) unmount = mountTmpfs(dataDir, 'size=64m');
});
afterAll(() => {
  unmount?.();
  work.cleanup();
});

describe('read-only data dir', () => {
  it.skipIf(!mountable)('warns at start-up, opens its projects read-only, exports them, refuses edits (needs root to mount tmpfs)', async () => {
    const clip = makeVideo(join(work.dir, 'clip.mp4'), { frames: 10, width: 96, height: 64 });
    const projectDir = join(dataDir, 'projects', 'p1');
    const first = testServices(dataDir);
    try {
      ok(await first.call('project.openVideo', { path: clip, projectDir }));
      await until(async () => ok<ProjectState>(await first.call('project.state', {})).extractJobId === null);
      ok(await first.call('objects.add', { name: 'kept' }));
      expect(ok<AppInfo>(await first.call('app.info', {})).warnings.join(' ')).not.toMatch(/cannot be written/);
    } finally {
      await first.shutdown();
    }
    execFileSync('mount', ['-o', 'remount,ro', dataDir]);

    const app = testServices(dataDir);
    const jobs: JobSnapshot[] = [];
    app.subscribe((m) => m.event === 'job.updated' && jobs.push(m.payload as JobSnapshot));
    try {
      const info = ok<AppInfo>(await app.call('app.info', {}));
      expect(info.warnings.join('\n')).toMatch(new RegExp(`The data folder ${dataDir} cannot be written \\(EROFS\\): projects open read-only`));

      const state = ok<ProjectState>(await app.call('project.open', { dir: projectDir }));
      expect(state.readOnly).toBe(true);
      expect(state.objects.map((o) => o.name)).toEqual(['kept']);
      expect(state.framesReady).toBe(10);
      expect(ok<unknown>(await app.call('masks.frame', { frame: 3 }))).toBeDefined();

      const refused = await app.call('objects.add', { name: 'new' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'READ_ONLY', details: { dir: projectDir, method: 'objects.add' } } });
      expect((await app.call('history.undo', {})).ok).toBe(false);

      const outDir = join(work.dir, 'out');
      const { jobId } = ok<{ jobId: string }>(await app.call('export.run', { formats: ['png', 'coco'], outDir }));
      await until(() => jobs.some((j) => j.id === jobId && (j.state === 'done' || j.state === 'failed')));
      expect(jobs.find((j) => j.id === jobId && j.state !== 'running' && j.state !== 'queued')?.state).toBe('done');
      expect(existsSync(join(outDir, 'coco.json'))).toBe(true);

      // the same video opened again finds its project there, read-only too
      ok(await app.call('project.close', {}));
      const again = ok<ProjectState>(await app.call('project.openVideo', { path: clip, projectDir }));
      expect(again.readOnly).toBe(true);
    } finally {
      await app.shutdown();
    }
  });
});

describe('editsProject', () => {
  it.each([
    ['objects.add', true],
    ['prompts.add', true],
    ['track.propagate', true],
    ['history.undo', true],
    ['segment.keep', true],
    ['annotations.import', true],
    ['export.run', false],
    ['masks.frame', false],
    ['project.state', false],
    ['jobs.cancel', false],
    ['models.select', false],
  ] as const)('%s → %s', (method, edits) => {
    expect(editsProject(method)).toBe(edits);
  });
});
