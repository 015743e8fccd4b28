// AppServices over the real core modules: videos generated with ffmpeg, real SQLite files
// and frame caches in temp dirs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobSnapshot, ProjectState } from '../../src-main/api/contract';
import type { EventMessage } from '../../src-main/api/bridge';
import type { AppServices } from '../../src-main/services/app-services';
import { ffmpegPath, makeVideo, tempDir } from '../helpers/make-video';
import { ok, testServices, until } from '../helpers/services';
import { execFileSync } from 'node:child_process';

const work = tempDir('maskline-services-');
let clip: string;
let longClip: string;

beforeAll(() => {
  clip = makeVideo(join(work.dir, 'clip with spaces – ü.mp4'), { frames: 30, width: 160, height: 120 });
  longClip = makeVideo(join(work.dir, 'long.mp4'), { frames: 600, width: 1280, height: 720, pattern: 'testsrc' });
});
afterAll(() => work.cleanup());

function services(name: string): { s: AppServices; events: EventMessage[]; dataDir: string } {
  const dataDir = join(work.dir, name);
  const s = testServices(dataDir, { version: '9.9.9' });
  const events: EventMessage[] = [];
  s.subscribe((m) => events.push(m));
  return { s, events, dataDir };
}

const listDir = (d: string) => (existsSync(d) ? readdirSync(d) : []);

describe('opening a video', () => {
  it('answers at once, extracts in a job, serves written frames only, and reopens from the cache', async () => {
    const { s, events, dataDir } = services('good');
    const state = ok<ProjectState>(await s.call('project.openVideo', { path: clip }));
    expect(state.video).toMatchObject({ name: 'clip with spaces – ü.mp4', frames: 30, width: 160, height: 120, extracted: false });
    expect(state.extractJobId).toMatch(/^extract-/);
    expect(state.dir).toBe(join(dataDir, 'projects', state.video.key));
    expect(existsSync(join(state.dir, 'project.sqlite'))).toBe(true);

    // one project.changed when the project opens, one when its frames are complete
    expect((events.find((e) => e.event === 'project.changed')?.payload as ProjectState).video.extracted).toBe(false);
    const changed = await until(() => events.map((e) => e.payload as ProjectState).find((p) => p && 'video' in p && p.video.extracted));
    expect(changed.framesReady).toBe(30);
    expect(changed.extractJobId).toBeNull();
    const jobStates = events.filter((e) => e.event === 'job.updated').map((e) => (e.payload as JobSnapshot).state);
    expect(jobStates.at(-1)).toBe('done');

    const key = state.video.key;
    expect(s.frameFile({ key, frame: 0 })).toBe(join(dataDir, 'frames', key, '00000.jpg'));
    expect(existsSync(s.frameFile({ key, frame: 29 })!)).toBe(true);
    expect(s.frameFile({ key, frame: 30 })).toBeNull();
    expect(s.frameFile({ key: 'f'.repeat(64), frame: 0 })).toBeNull();

    // the same video again: the same project, no second extraction
    const again = ok<ProjectState>(await s.call('project.openVideo', { path: clip }));
    expect(again.dir).toBe(state.dir);
    expect(again.extractJobId).toBeNull();
    expect(ok<JobSnapshot[]>(await s.call('jobs.list', {})).filter((j) => j.kind === 'extract')).toHaveLength(1);

    expect(ok<{ dir: string; videoName: string }[]>(await s.call('app.recentProjects', {}))).toEqual([
      expect.objectContaining({ dir: state.dir, videoName: 'clip with spaces – ü.mp4' }),
    ]);

    expect(ok(await s.call('project.close', {}))).toBeNull();
    expect(events.at(-1)).toEqual({ event: 'project.closed', payload: { dir: state.dir, reason: 'closed' } });
    expect(ok(await s.call('project.state', {}))).toBeNull();
    expect(s.frameFile({ key, frame: 0 })).toBeNull();

    const reopened = ok<ProjectState>(await s.call('project.open', { dir: state.dir }));
    expect(reopened.video.extracted).toBe(true);
    expect(reopened.extractJobId).toBeNull();
    expect(reopened.framesReady).toBe(30);
    await s.shutdown();
  });

  it('honours projectDir and refuses a folder that holds another video', async () => {
    const { s, dataDir } = services('custom-dir');
    const dir = join(dataDir, 'my project');
    const state = ok<ProjectState>(await s.call('project.openVideo', { path: clip, projectDir: dir }));
    expect(state.dir).toBe(dir);
    await until(() => (s.current?.video.cache.isComplete() ? true : null));
    const other = makeVideo(join(work.dir, 'other.mp4'), { frames: 5, width: 64, height: 48 });
    const r = await s.call('project.openVideo', { path: other, projectDir: dir });
    expect(r).toMatchObject({ ok: false, error: { code: 'PROJECT_HAS_OTHER_VIDEO' } });
    // the open project is untouched by the refused open
    expect(ok<ProjectState>(await s.call('project.state', {})).dir).toBe(dir);
    await s.shutdown();
  });
});

describe('bad input: one clear error, nothing written, still usable', () => {
  const cases: [string, () => string, string, RegExp][] = [
    ['missing file', () => join(work.dir, 'nope.mp4'), 'FILE_NOT_FOUND', /nope\.mp4 does not exist/],
    ['a folder', () => work.dir, 'NOT_A_FILE', /is a folder/],
    ['zero-length file', () => (writeFileSync(join(work.dir, 'empty.mp4'), ''), join(work.dir, 'empty.mp4')), 'EMPTY_FILE', /empty/],
    ['a text file', () => (writeFileSync(join(work.dir, 'notes.mp4'), 'hello\n'.repeat(500)), join(work.dir, 'notes.mp4')), 'NOT_A_VIDEO', /notes\.mp4/],
    [
      'audio only',
      () => {
        const p = join(work.dir, 'tone.m4a');
        execFileSync(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac', p]);
        return p;
      },
      'NO_VIDEO_STREAM',
      /tone\.m4a/,
    ],
  ];
  it.each(cases)('%s', async (_n, makePath, code, message) => {
    const { s, dataDir } = services(`bad-${code}`);
    const r = await s.call('project.openVideo', { path: makePath() });
    expect(r).toMatchObject({ ok: false, error: { code } });
    expect(!r.ok && r.error.message).toMatch(message);
    expect(listDir(join(dataDir, 'projects'))).toEqual([]);
    expect(listDir(join(dataDir, 'frames'))).toEqual([]);
    expect(ok(await s.call('app.recentProjects', {}))).toEqual([]);
    const good = ok<ProjectState>(await s.call('project.openVideo', { path: clip }));
    expect(good.video.frames).toBe(30);
    await s.shutdown();
  });

  it('an unwritable frame cache folder is refused before a project is created', async () => {
    const { s, dataDir } = services('cache-not-writable');
    mkdirSync(dataDir, { recursive: true });
    // a regular file where the frames folder should be: no write can succeed, even as root
    writeFileSync(join(dataDir, 'frames'), 'not a folder');
    const r = await s.call('project.openVideo', { path: clip });
    expect(r).toMatchObject({ ok: false, error: { code: 'CACHE_NOT_WRITABLE' } });
    expect(listDir(join(dataDir, 'projects'))).toEqual([]);
    await s.shutdown();
  });
});

describe('cancelling and quitting', () => {
  it('cancelling the extraction closes the project and removes what it had written', async () => {
    const { s, events, dataDir } = services('cancel');
    const state = ok<ProjectState>(await s.call('project.openVideo', { path: longClip }));
    await until(() => events.some((e) => e.event === 'job.updated' && (e.payload as JobSnapshot).state === 'running'));
    expect(ok(await s.call('jobs.cancel', { id: state.extractJobId! }))).toBeNull();
    const closed = await until(() => events.find((e) => e.event === 'project.closed'));
    expect(closed.payload).toEqual({ dir: state.dir, reason: 'extraction-cancelled' });
    await until(() => !existsSync(join(dataDir, 'frames', state.video.key)) && !existsSync(state.dir));
    expect(ok(await s.call('project.state', {}))).toBeNull();
    // cancelling twice is harmless; an unknown job is an error
    expect(ok(await s.call('jobs.cancel', { id: state.extractJobId! }))).toBeNull();
    expect(await s.call('jobs.cancel', { id: 'extract-999' })).toMatchObject({ ok: false, error: { code: 'JOB_NOT_FOUND' } });
    await s.shutdown();
  });

  it('shutdown stops a running extraction', async () => {
    const { s, events } = services('shutdown');
    ok(await s.call('project.openVideo', { path: longClip }));
    await until(() => events.some((e) => e.event === 'job.updated' && (e.payload as JobSnapshot).state === 'running'));
    await s.shutdown(3000);
    const last = events.filter((e) => e.event === 'job.updated').at(-1)!.payload as JobSnapshot;
    expect(last.state).toBe('cancelled');
  });
});

describe('the API layer', () => {
  it('maps unknown methods, bad arguments and calls that need a project to plain errors', async () => {
    const { s } = services('api');
    expect(await s.call('project.explode', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await s.call('project.openVideo', { path: 3 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_ARGS', message: expect.stringMatching(/args\.path must be a string/) },
    });
    expect(await s.call('segment.proposals', { frame: 0 })).toMatchObject({ ok: false, error: { code: 'NO_PROJECT' } });
    expect(await s.call('objects.add', {})).toMatchObject({ ok: false, error: { code: 'NO_PROJECT' } });
    expect(await s.call('dialog.openVideo', {})).toEqual({ ok: true, value: null });
    const info = ok<{ version: string; transport: string; ffmpeg: { version: string } | null; warnings: string[] }>(await s.call('app.info', {}));
    expect(info).toMatchObject({ version: '9.9.9', transport: 'browser' });
    // no ffmpeg trouble here
    expect(info.warnings.filter((w) => /ffmpeg|ffprobe/.test(w))).toEqual([]);
    expect(info.ffmpeg?.version).toBeTruthy();
    await s.shutdown();
  });
});
