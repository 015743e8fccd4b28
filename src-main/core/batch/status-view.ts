// `batch status`: per-job rows out of the queue's jobs, the batch's counts and ETA, and the
// table printed for people (scripts read --json). Pure.
import { basename } from 'node:path';
import type { BatchJobState, BatchJobView, BatchStatusView } from '../../api/contract';
import { codeOfReason } from './failure-policy';

export type { BatchJobState };
export const BATCH_STATES: readonly BatchJobState[] = ['waiting', 'active', 'done', 'failed', 'cancelled'];

/** One job as `batch status` and the app's Batch panel show it (the API's type: one definition). */
export type BatchJobRow = BatchJobView;
export type BatchStatus = BatchStatusView;

/** BullMQ's state name and failure reason → ours (a failure coded CANCELLED is a cancel). */
export function rowState(queueState: string, failedReason: string | null | undefined): BatchJobState {
  if (queueState === 'completed') return 'done';
  if (queueState === 'failed') return codeOfReason(failedReason) === 'CANCELLED' ? 'cancelled' : 'failed';
  if (queueState === 'active') return 'active';
  return 'waiting'; // waiting, delayed (backoff between attempts), prioritized, waiting-children
}

export function summarise(jobs: BatchJobRow[]): BatchStatus {
  const counts = Object.fromEntries(BATCH_STATES.map((s) => [s, 0])) as Record<BatchJobState, number>;
  for (const j of jobs) counts[j.state]++;
  const active = jobs.filter((j) => j.state === 'active' && j.progress?.phase === 'propagate' && j.progress.fps);
  const fps = active.length ? active.reduce((a, j) => a + j.progress!.fps!, 0) : null;
  const known = jobs.filter((j) => j.frames !== null).map((j) => j.frames!);
  const typical = known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
  let remaining = 0;
  for (const j of jobs) {
    if (j.state === 'waiting') remaining += j.frames ?? typical ?? NaN;
    else if (j.state === 'active') remaining += j.progress?.phase === 'propagate' ? j.progress.total - j.progress.done : (j.frames ?? typical ?? NaN);
  }
  const etaSec = fps && Number.isFinite(remaining) ? remaining / fps : remaining === 0 ? 0 : null;
  return { counts, jobs, fps, etaSec };
}

function duration(sec: number | null): string {
  if (sec === null) return '?';
  if (sec < 60) return `${Math.ceil(sec)} s`;
  if (sec < 3600) return `${Math.floor(sec / 60)} min ${Math.ceil(sec % 60)} s`;
  return `${Math.floor(sec / 3600)} h ${Math.ceil((sec % 3600) / 60)} min`;
}

function progressCell(j: BatchJobRow): string {
  const p = j.progress;
  if (j.state === 'done') return '100 %';
  if (!p || j.state !== 'active') return '';
  const pct = Math.floor((100 * p.done) / Math.max(1, p.total));
  return `${p.phase} ${p.done}/${p.total} (${pct} %)${p.fps ? ` ${p.fps.toFixed(1)} fps` : ''}`;
}

export function formatStatus(s: BatchStatus): string {
  const head = `${BATCH_STATES.map((st) => `${st} ${s.counts[st]}`).join(' · ')}${s.fps ? ` · ${s.fps.toFixed(1)} fps` : ''} · ETA ${s.counts.waiting + s.counts.active ? duration(s.etaSec) : '-'}`;
  const rows = s.jobs.map((j) => [j.id.slice(0, 11), j.state, basename(j.video), progressCell(j), j.progress?.worker ?? '', j.error ?? '']);
  const cols = ['job', 'state', 'video', 'progress', 'worker', 'error'];
  const widths = cols.map((c, i) => Math.min(48, Math.max(c.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.slice(0, widths[i]).padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [head, '', line(cols), ...rows.map(line)].join('\n');
}
