// Bad input and trouble around the workflow: no model pack (then one is imported), frames not
// extracted yet, the project's video moved (relocate) or changed, a database from a newer
// Maskline, and a full disk while a propagation saves masks.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineStatus, FrameMasks, JobSnapshot, ModelPackInfo, ProjectState } from '../../src-main/api/contract';
import { decodeMask } from '../../src-main/core/masks/rle';
import { openProjectStore } from '../../src-main/core/store';
import { MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { makeVideo } from '../helpers/make-video';
import { engineReady } from '../helpers/services';
import { harness, squareAt, until, W, H } from './workflow-harness';
import { canMountTmpfs } from '../helpers/tmpfs';

const h = harness('maskline-workflow-bad-');
afterAll(() => h.cleanup());
const clip = h.video('clip.mp4', 24);

describe('no model pack', () => {
  it('says what to do, refuses prompts with NO_MODEL, and works once a pack is imported', async () => {
    const empty = join(h.root, 'no-models');
    mkdirSync(empty);
    const x = h.services('nomodel', { env: { MASKLINE_MODELS: empty } });
    const st = await x.call<ProjectState>('project.openVideo', { path: clip });
    await until(() => x.s.current?.video.cache.isComplete() && x.s.engine.status().state === 'none', 'engine state none');
    const status = (await x.call<ProjectState>('project.state')).engine!;
    expect(status).toMatchObject({ state: 'none', pack: null });
    expect(status.error).toMatch(/No model pack is installed.*Import.*download.*export_sam2\.py/);
    // said once, by the engine status (the UI's first-run panel), not again as a start-up warning
    expect((await x.call<{ warnings: string[] }>('app.info')).warnings.some((w) => /model pack/i.test(w))).toBe(false);
    expect(await x.call('models.list')).toEqual([]);
    await x.call('objects.add', {});
    const e = await x.fail('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
    expect(e.code).toBe('NO_MODEL');
    expect(e.message).toMatch(/Import a pack folder/);

    const pack = await x.call<ModelPackInfo>('models.import', { dir: MICRO_PACK_DIR });
    expect(pack).toMatchObject({ imageSize: 256, verified: true, problem: null });
    const imp = x.events
      .filter((m) => m.event === 'job.updated')
      .map((m) => m.payload as JobSnapshot)
      .filter((j) => j.kind === 'models-import');
    expect(imp.at(-1)).toMatchObject({ state: 'done', unit: 'bytes', result: { id: pack.id, alreadyInstalled: false } });
    expect(imp.at(-1)!.done).toBeGreaterThan(8_000_000);
    await until(() => engineReady(x.s), 'the engine');
    const states = x.events.filter((m) => m.event === 'engine.changed').map((m) => (m.payload as EngineStatus).state);
    expect(states.slice(-2)).toEqual(['loading', 'ready']);
    const r = await x.call<{ frame: FrameMasks }>('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
    expect(r.frame.masks[0]!.objectId).toBe(1);
    expect(st.dir).toBe(x.s.current!.dir);
    await x.s.shutdown();
  });
});

describe('frames not ready', () => {
  it('prompts answer FRAMES_NOT_READY with the progress while frames are extracted', async () => {
    // long enough that extraction is still running when the prompt arrives, even on an idle machine
    const big = makeVideo(join(h.root, 'big.mp4'), { frames: 900, width: 1280, height: 720, pattern: 'testsrc' });
    const x = h.services('frames');
    await x.call('project.openVideo', { path: big });
    await x.call('objects.add', {});
    const e = await x.fail('prompts.add', { objectId: 1, frame: 0, points: [[10, 10]], labels: [1] });
    expect(e.code).toBe('FRAMES_NOT_READY');
    expect(e.message).toMatch(/frames are still being prepared \(\d+\/900\)/);
    expect((await x.fail('prompts.add', { objectId: 1, frame: 900, points: [[10, 10]], labels: [1] })).code).toBe('BAD_ARGS');
    await x.s.shutdown();
  });
});

describe('the video moved', () => {
  it('opens with videoMissing, keeps serving cached frames, refuses another video, and accepts the moved (or copied) file', async () => {
    const original = h.video('moving.mp4', 24);
    const other = makeVideo(join(h.root, 'other.mp4'), { frames: 24, width: W, height: H, pattern: 'testsrc' });
    const x = h.services('moved');
    const st = await x.openReady(original);
    await x.call('objects.add', {});
    await x.call('prompts.add', { objectId: 1, frame: 2, points: [squareAt(2)], labels: [1] });
    await x.s.shutdown();
    const moved = join(h.root, 'moved away.mp4');
    renameSync(original, moved);

    const y = h.services('moved');
    const re = await y.call<ProjectState>('project.open', { dir: st.dir });
    expect(re.videoMissing).toBe(true);
    expect(re.video.extracted).toBe(true);
    expect(y.s.frameFile({ key: re.video.key, frame: 5 })).not.toBeNull();
    await until(() => Object.keys(y.s.engine.status().providers).length, 'the engine');
    // the cached frames are enough to keep annotating
    await y.call('prompts.add', { objectId: 1, frame: 4, points: [squareAt(4)], labels: [1] });
    const wrong = await y.fail('project.relocateVideo', { path: other });
    expect(wrong.code).toBe('NOT_THE_SAME_VIDEO');
    expect(wrong.message).toMatch(/is not this project's video/);
    expect((await y.fail('project.relocateVideo', { path: join(h.root, 'nowhere.mp4') })).code).toBe('FILE_NOT_FOUND');
    // a copy has another mtime (so another content key) but is the same video
    const copy = join(h.root, 'copy.mp4');
    copyFileSync(moved, copy);
    const fixed = await y.call<ProjectState>('project.relocateVideo', { path: copy });
    expect(fixed).toMatchObject({ videoMissing: false, video: { path: copy, key: re.video.key } });
    await y.s.shutdown();
    const z = h.services('moved');
    expect((await z.call<ProjectState>('project.open', { dir: st.dir })).videoMissing).toBe(false);
    await z.s.shutdown();
  });

  it('without complete frames it waits for the video, then extracts after relocation', async () => {
    const original = h.video('lost.mp4', 24);
    const x = h.services('lost');
    const st = await x.openReady(original);
    await x.s.shutdown();
    rmSync(join(x.dataDir, 'frames', st.video.key), { recursive: true });
    const away = join(h.root, 'lost-moved.mp4');
    renameSync(original, away);
    const y = h.services('lost');
    const re = await y.call<ProjectState>('project.open', { dir: st.dir });
    expect(re).toMatchObject({ videoMissing: true, extractJobId: null, framesReady: 0 });
    const relocated = await y.call<ProjectState>('project.relocateVideo', { path: away });
    expect(relocated.extractJobId).toMatch(/^extract-/);
    await until(() => y.s.current!.video.cache.isComplete(), 'the frames');
    await y.s.shutdown();
  });

  it('a video whose content changed counts as missing', async () => {
    const original = h.video('changing.mp4', 24);
    const x = h.services('changed');
    const st = await x.openReady(original);
    await x.s.shutdown();
    makeVideo(original, { frames: 24, width: W, height: H, pattern: 'testsrc' });
    const y = h.services('changed');
    expect((await y.call<ProjectState>('project.open', { dir: st.dir })).videoMissing).toBe(true);
    await y.s.shutdown();
  });
});

describe('a database from a newer Maskline', () => {
  it('is refused with SCHEMA_TOO_NEW, left untouched, and the app stays usable', async () => {
    const x = h.services('newer');
    const st = await x.openReady(clip, join(h.root, 'newer-project'));
    await x.call('project.close');
    const file = join(st.dir, 'project.sqlite');
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    const bytes = readFileSync(file);
    const e = await x.fail('project.open', { dir: st.dir });
    expect(e.code).toBe('SCHEMA_TOO_NEW');
    expect(e.message).toMatch(/newer Maskline.*Update Maskline/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(await x.call('project.state')).toBeNull();
    const ok = await x.call<ProjectState>('project.openVideo', { path: clip });
    expect(ok.dir).not.toBe(st.dir);
    await x.s.shutdown();
  });
});

const mountable = canMountTmpfs();

describe('a full disk while saving masks', () => {
  it.skipIf(!mountable)(
    'fails the propagation with DISK_FULL, keeps the frames written before, and the project stays usable (needs root for tmpfs)',
    async () => {
      const at = join(h.root, 'tmpfs');
      mkdirSync(at);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', at]);
      try {
        const x = h.services('full');
        await x.openReady(h.video('full.mp4', 90), join(at, 'project'));
        await x.call('objects.add', {});
        await x.call('prompts.add', { objectId: 1, frame: 0, points: [squareAt(0)], labels: [1] });
        // leave a little room: a few frames fit, then SQLite meets a full disk
        const filler = join(at, 'filler');
        const free = () => Number(execFileSync('df', ['--output=avail', '-B1', at]).toString().split('\n')[1]);
        writeFileSync(filler, Buffer.alloc(Math.max(0, free() - 160 * 1024)));
        const { jobId } = await x.call<{ jobId: string }>('track.propagate', { frame: 0, direction: 'forward' });
        const job = await x.job(jobId);
        expect(job).toMatchObject({ state: 'failed', errorCode: 'DISK_FULL' });
        expect(job.error).toMatch(/disk .* is full/);
        const st = await x.call<ProjectState>('project.state');
        expect(st.busy).toBeNull();
        const frames = st.tracks[0]!.frames;
        expect(frames.length).toBeGreaterThan(1);
        expect(frames.length).toBeLessThan(90);
        for (const f of frames) expect(decodeMask((await x.call<FrameMasks>('masks.frame', { frame: f })).masks[0]!.rle).length).toBe(W * H);
        // room again: the project goes on where it stopped
        rmSync(filler);
        const again = await x.call<{ jobId: string }>('track.propagate', {
          frame: frames.at(-1)!,
          direction: 'forward',
          range: [frames.at(-1)!, frames.at(-1)! + 5],
        });
        expect((await x.job(again.jobId)).state).toBe('done');
        await x.s.shutdown();
        const s = openProjectStore(join(at, 'project'), { create: false });
        expect(s.runs.list(2).map((r) => r.state)).toEqual(['done', 'failed']);
        s.close();
      } finally {
        execFileSync('umount', [at]);
      }
    },
  );
});
