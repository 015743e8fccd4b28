// The batch part of the API contract (docs/batch.md): the Batch panel's request, and the
// queue's jobs and counts as `batch status` and the panel show them. Plain data; contract.ts
// re-exports it.
import type { ExportFormat, SegmentEverythingRequest } from './contract';

export type BatchSeedRequest =
  /** track the objects of a prompts.json file (`maskline track`'s format) */
  | { kind: 'prompts'; promptsFile: string }
  /** segment everything on `frame`, keep all proposals or the best N, track them */
  | { kind: 'segment'; frame: number; options: Omit<SegmentEverythingRequest, 'frame'>; keep: 'all' | number };

export interface BatchSubmitRequest {
  redisUrl: string;
  /** video files (absolute) */
  videos: string[];
  /** a folder (absolute) whose video files (by extension, not recursive) are added */
  folder?: string;
  seed: BatchSeedRequest;
  /** model pack folder; null: the workers' --model */
  model?: string | null;
  formats: ExportFormat[];
  /** each video's job writes <outRoot>/<video file name without extension> */
  outRoot: string;
  /** redo jobs that already finished */
  force?: boolean;
}

export type BatchJobState = 'waiting' | 'active' | 'done' | 'failed' | 'cancelled';

export interface BatchJobView {
  id: string;
  video: string;
  /** the job's output folder; its project is <out>/project */
  out: string;
  state: BatchJobState;
  progress: { phase: string; done: number; total: number; unit: string; fps: number | null; worker: string } | null;
  attempts: number;
  /** "CODE: message" of a failed or cancelled job */
  error: string | null;
  frames: number | null;
  queuedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface BatchStatusView {
  counts: Record<BatchJobState, number>;
  jobs: BatchJobView[];
  fps: number | null;
  etaSec: number | null;
}
