// What a batch job carries through Redis, and its stable id: the video's content key (the
// frame cache's key, core/video/video-key.ts) plus the canonical JSON of what the job does,
// hashed. Re-submitting the same manifest therefore names the same jobs, and BullMQ refuses
// to add a job whose id it already holds: no duplicate work.
import { createHash } from 'node:crypto';
import type { BatchJobView, ExportFormat } from '../../api/contract';
import type { TrackObject } from '../sam2/track-prompts';
import type { SegmentOptions } from './manifest';

export type BatchSeed = { kind: 'prompts'; objects: TrackObject[] } | { kind: 'segment'; frame: number; options: SegmentOptions; keep: 'all' | number };

export interface BatchJobData {
  /** absolute path on the shared storage every worker sees */
  video: string;
  videoKey: string;
  seed: BatchSeed;
  /** model pack folder; null: the worker's --model */
  model: string | null;
  formats: ExportFormat[];
  /** the job's output folder (absolute): project/ + export/ + maskline-batch.json */
  out: string;
}

/** What a worker reports with job.updateProgress: phase, frames done/total, fps of the propagation, "host/pid". */
export type BatchProgress = NonNullable<BatchJobView['progress']>;

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(v as object)
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** The job's id: "ml-" + 32 hex of sha256 over the video's content key and the job spec (not the video's path). */
export function batchJobId(d: BatchJobData): string {
  const spec = canonicalJson({ videoKey: d.videoKey, seed: d.seed, model: d.model, formats: [...d.formats].sort(), out: d.out });
  return `ml-${createHash('sha256').update('maskline-batch-job/1\0').update(spec).digest('hex').slice(0, 32)}`;
}
