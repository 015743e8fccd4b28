// `maskline batch submit|status|retry|cancel`: the submitting side of the batch queue
// (docs/batch.md), over services/batch-service.ts — the same code the app's Batch panel calls.
import { formatIssue } from '../../core/batch/manifest';
import { formatStatus } from '../../core/batch/status-view';
import { prepareManifestFile } from '../../services/batch-prepare';
import { BatchService } from '../../services/batch-service';
import type { FlagSpec, ParsedFlags } from '../args';
import type { CliCommand } from '../command';

const REDIS: FlagSpec = { type: 'string', required: true, help: 'Redis URL, e.g. redis://:PASSWORD@queue-host:6379 or rediss://… for TLS' };
const JSON_FLAG: FlagSpec = { type: 'switch', help: 'print JSON for scripts' };
const JOBS: FlagSpec = { type: 'string', help: 'comma-separated job ids (as `batch status` prints them; a unique prefix is enough)' };

async function withQueue<T>(flags: ParsedFlags, use: (b: BatchService) => Promise<T>): Promise<T> {
  const b = await BatchService.connect(String(flags.redis));
  try {
    return await use(b);
  } finally {
    await b.close();
  }
}

/** Job ids of --job, prefixes expanded against the queue's jobs. */
async function jobIds(b: BatchService, flags: ParsedFlags): Promise<string[]> {
  if (typeof flags.job !== 'string') return [];
  const known = (await b.status()).jobs.map((j) => j.id);
  return flags.job.split(',').map((p) => {
    const hits = known.filter((k) => k.startsWith(p.trim()));
    if (hits.length !== 1) throw new Error(`--job ${p}: ${hits.length ? 'matches several jobs' : 'no such job'}`);
    return hits[0]!;
  });
}

const submit: CliCommand = {
  name: 'submit',
  summary: 'Validate a manifest whole, then enqueue its jobs (stable ids: a re-submit adds nothing new)',
  flags: {
    redis: REDIS,
    manifest: {
      type: 'path',
      required: true,
      help: 'manifest JSON: {"jobs":[{video, prompts | segmentEverything, model, formats, out}]}; relative paths inside are resolved against its folder',
    },
    force: { type: 'switch', help: 'redo jobs that already finished (done or failed)' },
    json: JSON_FLAG,
  },
  async run(flags) {
    const prepared = await prepareManifestFile(String(flags.manifest));
    if (prepared.issues.length) {
      for (const i of prepared.issues) console.error(`${flags.manifest}: ${formatIssue(i)}`);
      console.error(`maskline batch submit: ${prepared.issues.length} problem(s) in the manifest; nothing was enqueued`);
      return 1;
    }
    const r = await withQueue(flags, (b) => b.submit(prepared.jobs, flags.force === true));
    if (flags.json) console.log(JSON.stringify(r));
    else {
      console.log(
        `enqueued ${r.added.length} job(s)${r.skipped.length ? `, ${r.skipped.length} already there (${r.skipped.map((s) => s.state).join(', ')}; --force redoes finished ones)` : ''}`,
      );
      for (const id of r.added) console.log(`  ${id}`);
    }
    return 0;
  },
};

const status: CliCommand = {
  name: 'status',
  summary: 'Waiting/active/done/failed, per-job progress, worker, fps and the batch ETA',
  flags: {
    redis: REDIS,
    watch: { type: 'switch', help: 'print again every 2 s until no job waits or runs' },
    json: JSON_FLAG,
  },
  async run(flags) {
    return withQueue(flags, async (b) => {
      for (;;) {
        const s = await b.status();
        if (flags.json) console.log(JSON.stringify(s));
        else console.log(`${formatStatus(s)}\n`);
        if (!flags.watch || s.counts.waiting + s.counts.active === 0) return 0;
        await new Promise((r) => setTimeout(r, 2000));
      }
    });
  },
};

const retry: CliCommand = {
  name: 'retry',
  summary: 'Put failed (or cancelled) jobs back in the queue for a new set of attempts',
  flags: { redis: REDIS, job: { ...JOBS, help: `${JOBS.help}; default: every failed job` }, json: JSON_FLAG },
  async run(flags) {
    const ids = await withQueue(flags, async (b) => b.retry(await jobIds(b, flags)));
    console.log(flags.json ? JSON.stringify({ retried: ids }) : `retried ${ids.length} job(s)`);
    return 0;
  },
};

const cancel: CliCommand = {
  name: 'cancel',
  summary: 'Cancel jobs: waiting ones leave the queue, running ones stop within a second (partial output discarded)',
  flags: { redis: REDIS, job: { ...JOBS, help: `${JOBS.help}; default: every waiting and running job` }, json: JSON_FLAG },
  async run(flags) {
    const r = await withQueue(flags, async (b) => b.cancel(await jobIds(b, flags)));
    console.log(
      flags.json
        ? JSON.stringify(r)
        : `removed ${r.removed.length} waiting job(s), stopping ${r.stopping.length} running job(s)${r.ignored.length ? `, ${r.ignored.length} already finished` : ''}`,
    );
    return 0;
  },
};

export const batchCommand: CliCommand = {
  name: 'batch',
  summary: 'Batch pre-annotation on a Redis queue: submit | status | retry | cancel (docs/batch.md)',
  flags: {},
  subcommands: [submit, status, retry, cancel],
  async run() {
    return 2; // main.ts dispatches to a subcommand
  },
};
