// Pure helpers of the Batch panel (docs/batch.md).
import type { BatchJobView } from '$api/contract';

/** Non-empty trimmed lines: one path per line. */
export function pathLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** The project folder of a job's output (docs/batch.md, "Output"), in the path style of `out`. */
export function projectDirOf(job: Pick<BatchJobView, 'out'>): string {
  const sep = job.out.includes('\\') && !job.out.includes('/') ? '\\' : '/';
  return `${job.out}${sep}project`;
}

/** "42 s", "3 min 5 s"; "?" when unknown. */
export function etaText(sec: number | null): string {
  if (sec === null) return '?';
  return sec < 60 ? `${Math.ceil(sec)} s` : `${Math.floor(sec / 60)} min ${Math.ceil(sec % 60)} s`;
}

/** A job's progress cell: frames of a finished job, phase done/total and fps of a running one. */
export function progressText(j: Pick<BatchJobView, 'state' | 'frames' | 'progress'>): string {
  if (j.state === 'done') return `${j.frames ?? '?'} frames`;
  if (j.state !== 'active' || !j.progress) return '';
  const p = j.progress;
  return `${p.phase} ${p.done}/${p.total}${p.fps ? ` · ${p.fps.toFixed(1)} fps` : ''}`;
}
