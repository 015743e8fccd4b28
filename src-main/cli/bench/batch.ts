// Batch benchmark (docs/batch.md): the same set of generated videos through a private
// redis-server and 1, then 2 `maskline worker` processes on the micro pack — jobs/minute and
// frames/s, and the 2:1 ratio measured in this one run — then the queue's own overhead per job:
// submit → start latency with an idle, warm worker (p50/p95, one job at a time).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { requireTool } from '../../core/video';
import { prepareManifest } from '../../services/batch-prepare';
import { BatchService } from '../../services/batch-service';
import { microPack, repoRoot } from './packs';
import { redisServerPath, startRedisServer, type RedisProcess } from './redis-process';
import type { BenchOptions, BenchSuite, BenchTable } from './suite';

const PROMPTS = { objects: [{ id: 1, prompts: [{ frame: 0, points: [[40, 48]], labels: [1] }] }] };

function makeClip(path: string, frames: number, seed: number): void {
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=160x96:rate=${10 + seed}`,
    '-frames:v',
    String(frames),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    path,
  ];
  const r = spawnSync(requireTool('ffmpeg').path, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
}

async function startWorkers(url: string, n: number, workDir: string): Promise<ChildProcess[]> {
  const cli = join(repoRoot(), 'resources', 'bin', 'maskline.mjs');
  const procs = Array.from({ length: n }, (_, i) =>
    spawn(process.execPath, [cli, 'worker', '--redis', url, '--model', microPack(), '--provider', 'cpu'], {
      env: { ...process.env, MASKLINE_DATA_DIR: join(workDir, `worker-data-${i}`) },
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  await Promise.all(
    procs.map(
      (p) =>
        new Promise<void>((resolve, reject) => {
          let log = '';
          p.stderr!.on('data', (d) => {
            log += d;
            if (/ ready: queue /.test(log)) resolve();
          });
          p.once('exit', (code) => reject(new Error(`a worker exited (${code}): ${log}`)));
        }),
    ),
  );
  return procs;
}

async function stopWorkers(procs: ChildProcess[]): Promise<void> {
  await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : (p.once('exit', r), p.kill('SIGTERM'))))));
}

/** Submits the jobs and waits until every one finished; the wall time from submit to the last one done. */
async function runBatch(batch: BatchService, videos: string[], outDir: string, workDir: string): Promise<{ seconds: number; frames: number; failed: number }> {
  const raw = { jobs: videos.map((v, i) => ({ video: v, prompts: PROMPTS, formats: ['png'], out: join(outDir, `clip${i}`) })) };
  const prepared = await prepareManifest(raw, workDir);
  if (prepared.issues.length) throw new Error(`bench manifest: ${JSON.stringify(prepared.issues)}`);
  const ids = new Set(prepared.jobs.map((j) => j.id));
  const t0 = Date.now();
  await batch.submit(prepared.jobs);
  for (;;) {
    const mine = (await batch.status()).jobs.filter((j) => ids.has(j.id));
    if (mine.every((j) => j.state === 'done' || j.state === 'failed')) {
      return {
        seconds: (Date.now() - t0) / 1000,
        frames: mine.reduce((a, j) => a + (j.frames ?? 0), 0),
        failed: mine.filter((j) => j.state === 'failed').length,
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const batchBench: BenchSuite = {
  name: 'batch',
  summary: 'batch queue on a private redis-server: jobs/min and frames/s with 1 vs 2 workers (micro pack), submit→start latency',
  async run(opts: BenchOptions): Promise<BenchTable[]> {
    if (!redisServerPath()) return [{ title: 'batch', columns: ['skipped'], rows: [['redis-server is not installed (apt-get install redis-server)']] }];
    const jobs = opts.quick ? 4 : 12;
    const frames = opts.quick ? 8 : 24;
    const videos = Array.from({ length: jobs }, (_, i) => join(opts.workDir, `clip${i}.mp4`));
    videos.forEach((v, i) => makeClip(v, frames, i));
    let redis: RedisProcess | null = null;
    let batch: BatchService | null = null;
    const rows: (string | number)[][] = [];
    const latencies: number[] = [];
    try {
      redis = await startRedisServer();
      batch = await BatchService.connect(redis.url);
      const perWorkers: Record<number, number> = {};
      for (const n of [1, 2]) {
        const procs = await startWorkers(redis.url, n, opts.workDir);
        try {
          const r = await runBatch(batch, videos, join(opts.workDir, `out-${n}`), opts.workDir);
          perWorkers[n] = jobs / (r.seconds / 60);
          rows.push([n, jobs, r.frames, r.failed, r.seconds, jobs / (r.seconds / 60), r.frames / r.seconds]);
          if (n === 1) {
            // the worker is warm and idle now: one job at a time, submit → start
            const probe = join(opts.workDir, 'probe');
            mkdirSync(probe, { recursive: true });
            for (let k = 0; k < (opts.quick ? 3 : 10); k++) {
              const prepared = await prepareManifest({ jobs: [{ video: videos[0], prompts: PROMPTS, out: join(probe, `p${k}`) }] }, opts.workDir);
              await batch.submit(prepared.jobs);
              for (;;) {
                const row = (await batch.status()).jobs.find((j) => j.id === prepared.jobs[0]!.id);
                if (row && (row.state === 'done' || row.state === 'failed')) {
                  if (row.startedAt) latencies.push(row.startedAt - row.queuedAt);
                  break;
                }
                await new Promise((r) => setTimeout(r, 50));
              }
            }
          }
        } finally {
          await stopWorkers(procs);
        }
      }
      const sorted = [...latencies].sort((a, b) => a - b);
      return [
        {
          title: `batch: ${jobs} videos of ${frames} frames (160×96), micro pack, CPU`,
          columns: ['workers', 'jobs', 'frames', 'failed', 'wall s', 'jobs/min', 'frames/s'],
          rows,
          notes: [
            `2 workers : 1 worker = ${(perWorkers[2]! / perWorkers[1]!).toFixed(2)}× jobs/min (same run; each worker loads its engine once, included)`,
            'wall time from submit to the last job done; each job also extracts frames, writes a project and PNGs',
          ],
        },
        {
          title: 'batch: queue overhead per job (idle warm worker, loopback Redis)',
          columns: ['jobs', 'submit→start p50 ms', 'submit→start p95 ms'],
          rows: [[sorted.length, percentile(sorted, 50), percentile(sorted, 95)]],
        },
      ];
    } finally {
      await batch?.close();
      await redis?.stop();
    }
  },
};
