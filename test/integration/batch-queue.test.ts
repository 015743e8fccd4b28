// Batch pre-annotation end to end on a real redis-server (started here on a free loopback
// port) with real `maskline worker` processes (the built CLI) on the micro pack: one submit of
// 6 generated videos to 2 workers; every project opens with the services and its masks and
// exports equal a local `maskline run` byte for byte; a re-submit adds nothing; a video that
// cannot be decoded fails at once; SIGKILL of a worker mid-job, SIGTERM, cancel, a bad
// manifest and Redis down.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openProjectStore } from '../../src-main/core/store';
import type { BatchStatus } from '../../src-main/core/batch/status-view';
import { BatchService } from '../../src-main/services/batch-service';
import { REPO_ROOT } from '../fixtures/sam2-micro/build';
import { MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { makeVideo, tempDir } from '../helpers/make-video';
import { freePort, redisSkipReason, startRedis, type RedisHandle } from '../helpers/redis-server';
import { MICRO_MODELS_ENV, testServices } from '../helpers/services';
import { until as pollUntil } from '../helpers/until';
import { runCli as cli } from '../unit/export/cli-capture';
import { ensureHostBuilt } from './workflow-harness';

const skip = redisSkipReason();
const PROMPTS = {
  objects: [
    { id: 1, prompts: [{ frame: 1, points: [[40, 48]], labels: [1] }] },
    { id: 2, prompts: [{ frame: 1, box: [100, 10, 150, 40] }] },
  ],
};
const savedDataDir = process.env.MASKLINE_DATA_DIR;
// a short job lock, so a killed worker's job is back within ~7 s (30 s in production); not
// shorter: on a loaded machine a busy worker would lose its own lock
const LOCK_MS = 5000;
let t: ReturnType<typeof tempDir>;

interface WorkerProc {
  child: ChildProcess;
  log: () => string;
  exited: Promise<number | null>;
}

/** every worker started: the file's afterAll kills any a timed-out test left running */
const spawnedWorkers: ChildProcess[] = [];

async function startWorker(url: string, name: string, extra: string[] = []): Promise<WorkerProc> {
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'resources', 'bin', 'maskline.mjs'), 'worker', '--redis', url, '--model', MICRO_PACK_DIR, '--provider', 'cpu', ...extra],
    {
      env: { ...process.env, MASKLINE_BATCH_LOCK_MS: String(LOCK_MS), MASKLINE_DATA_DIR: join(t.dir, `data-${name}`) },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  spawnedWorkers.push(child);
  let log = '';
  child.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await until(() => / ready: queue /.test(log) || child.exitCode !== null, `worker ${name} ready`, 30_000);
  if (child.exitCode !== null) throw new Error(`worker ${name} exited: ${log}`);
  return { child, log: () => log, exited };
}

async function stopWorkers(ws: WorkerProc[]): Promise<void> {
  for (const w of ws) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  await Promise.all(ws.map((w) => w.exited));
}

/** Polls every 50 ms (the queue's status is a round of Redis queries). */
const until = <T>(fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, timeoutMs: number) =>
  pollUntil(fn, what, timeoutMs, 50);

function writeJson(file: string, v: unknown): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(v));
  return file;
}

async function statusOf(b: BatchService): Promise<BatchStatus> {
  return b.status();
}

/** Files under dir (relative paths), the export manifest left out (it holds times). */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name !== '.maskline-export.json') out.push(relative(dir, join(d, e.name)));
    }
  };
  walk(dir);
  return out.sort();
}

beforeAll(() => {
  if (skip) return;
  ensureHostBuilt();
  t = tempDir('maskline-batch-');
  process.env.MASKLINE_DATA_DIR = join(t.dir, 'data-local');
});
afterAll(() => {
  for (const c of spawnedWorkers) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (savedDataDir === undefined) delete process.env.MASKLINE_DATA_DIR;
  else process.env.MASKLINE_DATA_DIR = savedDataDir;
  t?.cleanup();
});

describe.skipIf(skip)('batch queue on a real redis-server', () => {
  let redis: RedisHandle;
  let batch: BatchService;
  beforeAll(async () => {
    redis = await startRedis();
    batch = await BatchService.connect(redis.url);
  });
  afterAll(async () => {
    await batch?.close();
    await redis?.stop();
  });

  it('6 videos, 2 workers, one submit: all done, projects open, masks equal a local run byte for byte; re-submit adds nothing', async () => {
    const dir = join(t.dir, 'e2e');
    mkdirSync(dir);
    const videos = Array.from({ length: 6 }, (_, i) =>
      makeVideo(join(dir, `clip${i}.mp4`), { width: 160, height: 96, frames: 3 + (i % 3), fps: 10 + i, pattern: 'shapes' }),
    );
    writeJson(join(dir, 'prompts.json'), PROMPTS);
    // relative paths: resolved against the manifest's folder
    const manifest = writeJson(join(dir, 'manifest.json'), {
      jobs: videos.map((v, i) => ({ video: `clip${i}.mp4`, prompts: 'prompts.json', formats: ['png', 'coco'], out: `out/clip${i}` })),
    });
    const workers = [await startWorker(redis.url, 'a'), await startWorker(redis.url, 'b')];
    try {
      const sub = await cli('batch', 'submit', '--redis', redis.url, '--manifest', manifest);
      expect(sub.err).toBe('');
      expect(sub.out).toMatch(/^enqueued 6 job\(s\)/);
      const s = await until(
        async () => {
          const st = await statusOf(batch);
          return st.counts.done + st.counts.failed === 6 && st;
        },
        'all 6 jobs finished',
        200_000,
      );
      expect(s.counts).toMatchObject({ done: 6, failed: 0 });
      // both workers took jobs
      expect(new Set(workers.map((w) => (/job ml-\w+: done/.test(w.log()) ? 'worked' : 'idle')))).toEqual(new Set(['worked']));

      const again = await cli('batch', 'submit', '--redis', redis.url, '--manifest', manifest, '--json');
      expect(JSON.parse(again.out)).toMatchObject({
        added: [],
        skipped: Array(6)
          .fill({ state: 'done' })
          .map((x) => expect.objectContaining(x)),
      });
      expect((await statusOf(batch)).jobs).toHaveLength(6);
    } finally {
      await stopWorkers(workers);
    }
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(videos.map((_, i) => `clip${i}`));

    const app = testServices(join(t.dir, 'data-app'), { env: MICRO_MODELS_ENV });
    try {
      for (let i = 0; i < videos.length; i++) {
        const out = join(dir, 'out', `clip${i}`);
        const local = join(dir, 'local', `clip${i}`);
        const r = await cli(
          'run',
          '--model',
          MICRO_PACK_DIR,
          '--video',
          videos[i]!,
          '--prompts',
          join(dir, 'prompts.json'),
          '--project',
          join(local, 'project'),
          '--format',
          'png,coco',
          '--out',
          join(local, 'export'),
        );
        expect(r.code).toBe(0);
        // exports: the same files, the same bytes
        expect(files(join(out, 'export'))).toEqual(files(join(local, 'export')));
        for (const f of files(join(local, 'export'))) {
          if (f !== 'coco.json') expect(readFileSync(join(out, 'export', f)).equals(readFileSync(join(local, 'export', f))), f).toBe(true);
        }
        // coco.json: equal but for the export's own time
        const coco = (root: string) => JSON.parse(readFileSync(join(root, 'export', 'coco.json'), 'utf8'), (k, v) => (k === 'date_created' ? undefined : v));
        expect(coco(out)).toEqual(coco(local));
        // the project's stored masks: the same bytes per object and frame
        const [a, b] = [openProjectStore(join(out, 'project'), { create: false }), openProjectStore(join(local, 'project'), { create: false })];
        try {
          const frames = 3 + (i % 3);
          for (let f = 0; f < frames; f++) expect(JSON.stringify(a.masks.forFrame(f))).toBe(JSON.stringify(b.masks.forFrame(f)));
        } finally {
          a.close();
          b.close();
        }
        // an ordinary project: the app opens it with its tracks
        const opened = await app.call('project.open', { dir: join(out, 'project') });
        expect(opened.ok).toBe(true);
        const state = (opened as { value: { tracks: { objectId: number; frames: number[]; promptFrames: number[] }[] } }).value;
        expect(state.tracks.map((tr) => [tr.objectId, tr.frames.length, tr.promptFrames])).toEqual([
          [1, 3 + (i % 3), [1]],
          [2, 3 + (i % 3), [1]],
        ]);
      }
    } finally {
      await app.shutdown();
    }
  }, 300_000);

  it('a bad manifest: every bad entry named, nothing enqueued; a video that cannot be decoded fails at once, without retries', async () => {
    const dir = join(t.dir, 'bad');
    mkdirSync(dir);
    const video = makeVideo(join(dir, 'ok.mp4'), { width: 160, height: 96, frames: 3, pattern: 'shapes' });
    writeFileSync(join(dir, 'garbage.mp4'), 'this is not a video at all'.repeat(100));
    writeJson(join(dir, 'prompts.json'), PROMPTS);
    writeFileSync(join(dir, 'broken.json'), '{"objects": [');
    const before = (await statusOf(batch)).jobs.length;
    const bad = writeJson(join(dir, 'bad.json'), {
      jobs: [
        { video: 'ok.mp4', prompts: 'prompts.json', out: 'o/0' },
        { video: 'missing.mp4', prompts: 'prompts.json', out: 'o/1' },
        { video: 'ok.mp4', prompts: 'broken.json', out: 'o/2' },
        { video: 'ok.mp4', prompts: 'prompts.json', formats: ['gif'], out: 'o/3' },
      ],
    });
    const r = await cli('batch', 'submit', '--redis', redis.url, '--manifest', bad);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toEqual([
      `${bad}: jobs[1].video: ${join(dir, 'missing.mp4')} does not exist`,
      expect.stringMatching(new RegExp(`^${bad}: jobs\\[2\\]\\.prompts: ${join(dir, 'broken.json')}: `)),
      `${bad}: jobs[3].formats: must list export formats of overlay,png,palette,coco,yolo,mots; unknown: "gif"`,
      'maskline batch submit: 3 problem(s) in the manifest; nothing was enqueued',
    ]);
    expect((await statusOf(batch)).jobs).toHaveLength(before);
    expect(existsSync(join(dir, 'o'))).toBe(false);

    const undecodable = writeJson(join(dir, 'undecodable.json'), { jobs: [{ video: 'garbage.mp4', prompts: 'prompts.json', out: 'o/g' }] });
    expect((await cli('batch', 'submit', '--redis', redis.url, '--manifest', undecodable)).code).toBe(0);
    const w = await startWorker(redis.url, 'bad');
    try {
      const row = await until(
        async () => (await statusOf(batch)).jobs.find((j) => j.video.endsWith('garbage.mp4') && j.state === 'failed'),
        'the undecodable job failed',
        30_000,
      );
      expect(row.error).toMatch(/^(NOT_A_VIDEO|NO_VIDEO_STREAM|TRUNCATED|FFMPEG_FAILED): /);
      expect(row.attempts).toBe(1);
    } finally {
      await stopWorkers([w]);
    }
    expect(existsSync(join(dir, 'o'))).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes('maskline-staging'))).toEqual([]);
    void video;
  });

  it('Redis down: one line naming the URL, exit 1, within seconds', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const started = Date.now();
    const r = await cli('batch', 'status', '--redis', url);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`maskline batch status: cannot reach Redis at ${url}: connect ECONNREFUSED 127.0.0.1:${url.split(':').pop()}`);
  });
});

describe.skipIf(skip)('batch queue failures on a real redis-server', () => {
  // a fresh Redis per test: a job one test leaves behind never reaches the next one's worker
  let redis: RedisHandle;
  let batch: BatchService;
  let dir: string;
  beforeAll(() => {
    dir = join(t.dir, 'failures');
    writeJson(join(dir, 'prompts.json'), PROMPTS);
  });
  beforeEach(async () => {
    redis = await startRedis();
    batch = await BatchService.connect(redis.url);
  });
  afterEach(async () => {
    await batch?.close();
    await redis?.stop();
  });

  /** Submits one long-ish video job, returns its id once a worker propagates it. */
  async function submitLong(name: string, frames: number): Promise<{ id: string; out: string; manifest: string }> {
    makeVideo(join(dir, `${name}.mp4`), { width: 160, height: 96, frames, pattern: 'shapes' });
    const manifest = writeJson(join(dir, `${name}.json`), { jobs: [{ video: `${name}.mp4`, prompts: 'prompts.json', out: `out/${name}` }] });
    const r = await cli('batch', 'submit', '--redis', redis.url, '--manifest', manifest, '--json');
    const id = (JSON.parse(r.out) as { added: string[] }).added[0]!;
    return { id, out: join(dir, 'out', name), manifest };
  }

  const stagingLeft = () => (existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')).filter((n) => n.includes('maskline-staging')) : []);

  it('SIGKILL of a worker mid-job: the job is re-run by the other worker and done exactly once, no partial output left', async () => {
    const job = await submitLong('killed', 40);
    const a = await startWorker(redis.url, 'k1');
    let b: WorkerProc | null = null;
    try {
      await until(async () => (await statusOf(batch)).jobs.find((j) => j.id === job.id && j.progress?.phase === 'propagate'), 'propagation running', 60_000);
      a.child.kill('SIGKILL');
      await a.exited;
      expect(existsSync(job.out)).toBe(false);
      b = await startWorker(redis.url, 'k2');
      const row = await until(
        async () => (await statusOf(batch)).jobs.find((j) => j.id === job.id && j.state === 'done'),
        'the job done by the second worker',
        60_000,
      );
      expect(row.attempts).toBeGreaterThanOrEqual(2);
      const marker = JSON.parse(readFileSync(join(job.out, 'maskline-batch.json'), 'utf8'));
      expect(marker.worker).toBe(`${marker.worker.split('/')[0]}/${b.child.pid}`);
      expect(b.log().match(new RegExp(`job ${job.id}: done`, 'g'))).toHaveLength(1);
      expect(stagingLeft()).toEqual([]);
      expect((await statusOf(batch)).jobs.filter((j) => j.id === job.id)).toHaveLength(1);
    } finally {
      await stopWorkers([a, ...(b ? [b] : [])]);
    }
  }, 240_000);

  it('SIGTERM: the running job finishes and commits, then the worker exits 0', async () => {
    const job = await submitLong('term', 20);
    const w = await startWorker(redis.url, 'term');
    try {
      await until(async () => (await statusOf(batch)).jobs.find((j) => j.id === job.id && j.state === 'active'), 'the job running', 60_000);
      w.child.kill('SIGTERM');
      expect(await w.exited).toBe(0);
      expect((await statusOf(batch)).jobs.find((j) => j.id === job.id)?.state).toBe('done');
      expect(statSync(join(job.out, 'project', 'project.sqlite')).size).toBeGreaterThan(0);
      expect(stagingLeft()).toEqual([]);
    } finally {
      await stopWorkers([w]);
    }
  });

  it('segment everything on a frame, keep the best 2: both tracked over every frame; a job outside --out-root fails at once', async () => {
    makeVideo(join(dir, 'seg.mp4'), { width: 160, height: 96, frames: 4, pattern: 'shapes' });
    const options = { pointsPerSide: 8, predIouThresh: 0.7, stabilityScoreThresh: 0, boxNmsThresh: 0.9 };
    const manifest = writeJson(join(dir, 'seg.json'), {
      jobs: [
        { video: 'seg.mp4', segmentEverything: { frame: 1, options, keep: 2 }, out: 'root/seg' },
        { video: 'seg.mp4', prompts: 'prompts.json', out: 'elsewhere/seg' },
      ],
    });
    expect((await cli('batch', 'submit', '--redis', redis.url, '--manifest', manifest)).code).toBe(0);
    const w = await startWorker(redis.url, 'seg', ['--out-root', join(dir, 'root')]);
    try {
      const s = await until(
        async () => {
          const st = await statusOf(batch);
          return st.counts.done + st.counts.failed === 2 && st;
        },
        'both jobs finished',
        90_000,
      );
      const outside = s.jobs.find((j) => j.out.includes('elsewhere'))!;
      expect(outside.state).toBe('failed');
      expect(outside.attempts).toBe(1);
      expect(outside.error).toMatch(/^OUT_OUTSIDE_ROOT: out .*elsewhere\/seg is outside this worker's --out-root /);
      expect(s.jobs.find((j) => j.out.includes('root'))?.state).toBe('done');
    } finally {
      await stopWorkers([w]);
    }
    expect(existsSync(join(dir, 'elsewhere'))).toBe(false);
    const store = openProjectStore(join(dir, 'root', 'seg', 'project'), { create: false });
    try {
      const objects = store.objects.list().map((o) => o.id);
      expect(objects).toHaveLength(2);
      for (let f = 0; f < 4; f++)
        expect(
          store.masks
            .forFrame(f)
            .map((m) => m.objectId)
            .sort(),
        ).toEqual(objects);
    } finally {
      store.close();
    }
  });

  it('an error worth retrying: 3 attempts in all, then failed with the last error', async () => {
    makeVideo(join(dir, 'retry.mp4'), { width: 160, height: 96, frames: 3, pattern: 'shapes' });
    // the output's parent is a file: every attempt fails to create its staging folder there
    writeFileSync(join(dir, 'blocker'), 'a file, not a folder');
    const manifest = writeJson(join(dir, 'retry.json'), { jobs: [{ video: 'retry.mp4', prompts: 'prompts.json', out: 'blocker/out' }] });
    expect((await cli('batch', 'submit', '--redis', redis.url, '--manifest', manifest)).code).toBe(0);
    const w = await startWorker(redis.url, 'retry');
    try {
      const row = await until(async () => (await statusOf(batch)).jobs.find((j) => j.state === 'failed'), 'the job failed', 60_000);
      expect(row.attempts).toBe(3);
      expect(row.error).toMatch(/^OUT_NOT_WRITABLE: cannot write next to .*blocker\/out/);
      expect(w.log().match(/OUT_NOT_WRITABLE/g)).toHaveLength(3);
    } finally {
      await stopWorkers([w]);
    }
    expect(readFileSync(join(dir, 'blocker'), 'utf8')).toBe('a file, not a folder');
  });

  it('cancel: a running job stops within a second, its partial output discarded; retry runs it again', async () => {
    const job = await submitLong('cancelled', 200);
    const w = await startWorker(redis.url, 'cancel');
    try {
      await until(
        async () => (await statusOf(batch)).jobs.find((j) => j.id === job.id && j.progress?.phase === 'propagate' && j.progress.done > 0),
        'propagation running',
        60_000,
      );
      const started = Date.now();
      const r = await batch.cancel([job.id]);
      expect(r.stopping).toEqual([job.id]);
      const row = await until(async () => (await statusOf(batch)).jobs.find((j) => j.id === job.id && j.state === 'cancelled'), 'the job cancelled', 10_000);
      const took = Date.now() - started;
      expect(took, `stopped after ${took} ms`).toBeLessThan(1000);
      expect(row.error).toMatch(/^CANCELLED: /);
      expect(row.attempts).toBe(1);
      expect(existsSync(job.out)).toBe(false);
      await until(() => stagingLeft().length === 0, 'staging removed', 5000);
      expect(await batch.retry([job.id])).toEqual([job.id]);
      await until(async () => (await statusOf(batch)).jobs.find((j) => j.id === job.id && j.state === 'active'), 'running again', 30_000);
    } finally {
      await stopWorkers([w]);
    }
  });
});
