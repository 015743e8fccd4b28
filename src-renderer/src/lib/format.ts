// Numbers for people: sizes, rates, remaining time, durations.

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

export function formatRate(rate: number, unit: string): string {
  return `${rate >= 10 ? Math.round(rate) : rate.toFixed(1)} ${unit}/s`;
}

/** Seconds left, coarse enough not to flicker. */
export function formatEta(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '';
  if (sec < 60) return `${Math.ceil(sec)} s left`;
  if (sec < 3600) return `${Math.ceil(sec / 60)} min left`;
  const h = Math.floor(sec / 3600);
  return `${h} h ${Math.ceil((sec - h * 3600) / 60)} min left`;
}

function byteJobDetail(j: JobLike): string {
  const parts = [j.total > 0 ? `${formatBytes(j.done)} / ${formatBytes(j.total)}` : formatBytes(j.done)];
  if (j.state === 'running' && j.rate) parts.push(`${formatBytes(j.rate)}/s`);
  if (j.state === 'running' && j.etaSec !== null) parts.push(formatEta(j.etaSec));
  if (j.state !== 'running') parts.push(j.state === 'queued' ? 'waiting' : j.state);
  return parts.join(' · ');
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

export interface JobLike {
  done: number;
  total: number;
  unit: string;
  rate: number | null;
  etaSec: number | null;
  state: string;
}

/** "12 / 120 frames · 3.4 frames/s · 32 s left"; byte jobs in KiB/MiB/GiB. */
export function jobDetail(j: JobLike): string {
  if (j.unit === 'bytes') return byteJobDetail(j);
  const parts = [j.total > 0 ? `${j.done} / ${j.total} ${j.unit}` : `${j.done} ${j.unit}`];
  if (j.state === 'running' && j.rate) parts.push(formatRate(j.rate, j.unit));
  if (j.state === 'running' && j.etaSec !== null) parts.push(formatEta(j.etaSec));
  if (j.state === 'queued') parts.push('waiting');
  if (j.state === 'done') parts.push('done');
  if (j.state === 'cancelled') parts.push('cancelled');
  return parts.join(' · ');
}

/**
 * What the services added to a job's label once they knew more ("Propagation forward 0–99 —
 * resuming at frame 40" → "resuming at frame 40"); null when nothing was added.
 */
export function jobNote(label: string): string | null {
  const i = label.indexOf(' — ');
  return i < 0 ? null : label.slice(i + 3);
}
