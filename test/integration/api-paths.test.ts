// Issue 13 item 2: the API takes absolute paths only. A relative one used to resolve against
// the host's working directory (the app's install folder): now BAD_ARGS names the field and
// nothing is created there. A cancelled export leaves nothing it created.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiResult, JobSnapshot } from '../../src-main/api/contract';
import type { AppServices } from '../../src-main/services/app-services';
import { testServices } from '../helpers/services';
import { makeVideo, tempDir } from '../helpers/make-video';

const work = tempDir('maskline-api-paths-');
const cwd = join(work.dir, 'install-folder');
const savedCwd = process.cwd();
let clip: string;
let app: AppServices;
const jobs: JobSnapshot[] = [];

beforeAll(() => {
  clip = makeVideo(join(work.dir, 'clip.mp4'), { frames: 240, width: 320, height: 240 });
  mkdirSync(cwd);
  // the services' working directory stands for the app's install folder
  process.chdir(cwd);
  app = testServices(join(work.dir, 'data'));
  app.subscribe((m) => m.event === 'job.updated' && jobs.push(m.payload as JobSnapshot));
});
afterAll(async () => {
  await app.shutdown();
  process.chdir(savedCwd);
  work.cleanup();
});

function err(r: ApiResult<unknown>): { code: string; message: string; details?: unknown } {
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

describe('relative paths at the API', () => {
  it.each([
    ['export.run', { formats: ['png'], outDir: 'exports/run1' }, 'args.outDir'],
    ['project.openVideo', { path: '../clip.mp4' }, 'args.path'],
    ['project.openVideo', { path: '/nowhere/clip.mp4', projectDir: 'projects/p1' }, 'args.projectDir'],
    ['project.open', { dir: 'projects/p1' }, 'args.dir'],
    ['project.relocateVideo', { path: 'clip.mp4' }, 'args.path'],
    ['models.import', { dir: 'packs/tiny' }, 'args.dir'],
  ])('%s %j: BAD_ARGS naming %s, nothing created in the working directory', async (method, args, field) => {
    const e = err(await app.call(method, args));
    expect(e).toMatchObject({ code: 'BAD_ARGS', details: { field } });
    expect(e.message).toMatch(new RegExp(`${field.replace('.', '\\.')} must be an absolute path`));
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('a cancelled export through the services', () => {
  it('leaves nothing it created: the destination folder and its parents are gone again', async () => {
    const r = await app.call('project.openVideo', { path: clip, projectDir: join(work.dir, 'project') });
    expect(r.ok).toBe(true);
    expect((await app.call('objects.add', { name: 'thing' })).ok).toBe(true);
    const outDir = join(work.dir, 'exports', 'new', 'run1');
    const started = await app.call('export.run', { formats: ['png', 'palette'], outDir });
    expect(started.ok).toBe(true);
    const { jobId } = (started as { value: { jobId: string } }).value;
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        if (jobs.some((j) => j.id === jobId && j.done > 0)) {
          clearInterval(tick);
          resolve();
        }
      }, 5);
    });
    expect(existsSync(outDir)).toBe(true);
    await app.call('jobs.cancel', { id: jobId });
    const end = Date.now() + 20_000;
    while (!jobs.some((j) => j.id === jobId && j.state === 'cancelled') && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
    expect(jobs.find((j) => j.id === jobId && j.state === 'cancelled')).toBeTruthy();
    // the job reports cancelled at once; removing the staged files follows within moments
    const gone = Date.now() + 10_000;
    while (existsSync(join(work.dir, 'exports')) && Date.now() < gone) await new Promise((res) => setTimeout(res, 50));
    expect(existsSync(join(work.dir, 'exports'))).toBe(false);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
