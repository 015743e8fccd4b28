// One headless pass over a video: open it into a project, seed objects (prompts of
// prompts.json, or segment-everything proposals on one frame), propagate, export — through
// the very API the Electron app and the browser host use, so the project written is an ordinary
// project the app opens with its objects, prompts, masks and engine state. `maskline run` and
// the batch worker (services/batch-worker.ts) are both this function; there is no second path.
import { resolve } from 'node:path';
import type { ApiError, ExportRequest, JobSnapshot, MethodArgs, MethodName, MethodResult, ModelPackInfo, SegmentEverythingRequest } from '../api/contract';
import { CodedError } from '../api/errors';
import { followJob } from '../api/follow-job';
import type { TrackObject } from '../core/sam2/track-prompts';
import type { AppServices } from './app-services';

/** An API failure met by a headless run, with the API's code (BAD_FRAME, NOT_A_VIDEO, CANCELLED…). */
export class HeadlessRunError extends CodedError<string, unknown> {
  constructor(readonly error: ApiError) {
    super(error.code, error.message, error.details);
  }
}

export type HeadlessSeed =
  | { kind: 'prompts'; objects: TrackObject[] }
  /** segment everything on `frame`, keep all proposals or the best N (by predicted IoU, then stability) */
  | { kind: 'segment'; frame: number; options: Omit<SegmentEverythingRequest, 'frame'>; keep: 'all' | number };

export interface HeadlessProgress {
  phase: 'frames' | 'segment' | 'propagate' | 'export';
  done: number;
  total: number;
  unit: string;
  /** units per second over the registry's recent window, when known */
  rate: number | null;
}

export interface HeadlessRunInput {
  /** model pack folder, absolute; the services must list it (MASKLINE_MODELS holds its parent) */
  packDir: string;
  /** how messages name where the pack came from ("--model" for the CLI; default "model") */
  packSource?: string;
  video: string;
  projectDir: string;
  seed: HeadlessSeed;
  exportRequest: ExportRequest;
  signal?: AbortSignal;
  onProgress?: (p: HeadlessProgress) => void;
  /** notes for the user (object renumbering, a family switch) */
  note?: (line: string) => void;
}

export interface HeadlessRunResult {
  pack: ModelPackInfo;
  frames: number;
  objectIds: number[];
  export: { files: string[]; fileCount: number; warnings: string[]; frames: number };
}

/** One API call; a failure becomes a HeadlessRunError carrying the API's code and message. */
async function call<M extends MethodName>(s: AppServices, method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
  const r = await s.call(method, args);
  if (!r.ok) throw new HeadlessRunError(r.error);
  return r.value as MethodResult<M>;
}

function cancelled(): HeadlessRunError {
  return new HeadlessRunError({ code: 'CANCELLED', message: 'the run was cancelled' });
}

/** Resolves with the job's last snapshot once it is done, reporting its progress on the way; a failed or cancelled job throws. */
async function finished(s: AppServices, jobId: string, phase: HeadlessProgress['phase'], onProgress?: (p: HeadlessProgress) => void): Promise<JobSnapshot> {
  // never disposed: it ends with the job
  const j = (await followJob(s.jobs, jobId, (u) => onProgress?.({ phase, done: u.done, total: u.total, unit: u.unit, rate: u.rate })).end)!;
  if (j.state === 'done') return j;
  throw new HeadlessRunError({ code: j.errorCode ?? (j.state === 'cancelled' ? 'CANCELLED' : 'JOB_FAILED'), message: `${phase}: ${j.error ?? j.state}` });
}

/** The pack in packDir, found among the listed packs (nothing is copied), selected. */
async function selectPack(s: AppServices, packDir: string, source: string, note: (line: string) => void): Promise<ModelPackInfo> {
  const packs = await call(s, 'models.list', {});
  const pack = packs.find((p) => resolve(p.dir) === packDir);
  if (!pack) throw new HeadlessRunError({ code: 'PACK_NOT_FOUND', message: `${source} ${packDir}: no model pack there (model.json missing)` });
  if (pack.problem) throw new HeadlessRunError({ code: 'PACK_INVALID', message: `${source} ${packDir}: ${pack.problem}` });
  const r = await s.call('models.select', { id: pack.id });
  if (!r.ok && r.error.code === 'FAMILY_SWITCH') {
    // the pack is named outright: the switch is the user's choice; say what it means
    note(`note: ${r.error.message}`);
    await call(s, 'models.select', { id: pack.id, confirmFamilySwitch: true });
  } else if (!r.ok) throw new HeadlessRunError(r.error);
  return pack;
}

/** Objects of prompts.json → project objects: an existing id is reused, others are created; prompts added. */
async function seedPrompts(s: AppServices, objects: TrackObject[], frames: number, note: (line: string) => void): Promise<{ first: number; ids: number[] }> {
  const existing = new Set((await call(s, 'project.state', {}))!.objects.map((o) => o.id));
  const ids = new Map<number, number>();
  for (const o of objects) {
    const id = existing.has(o.id) ? o.id : (await call(s, 'objects.add', {})).id;
    if (id !== o.id) note(`object ${o.id} of the prompts is object ${id} in the project`);
    ids.set(o.id, id);
  }
  for (const o of objects) {
    for (const p of o.prompts) {
      if (p.frame >= frames)
        throw new HeadlessRunError({ code: 'BAD_FRAME', message: `object ${o.id}: a prompt on frame ${p.frame}, but the video has frames 0..${frames - 1}` });
      await call(s, 'prompts.add', { objectId: ids.get(o.id)!, frame: p.frame, points: p.points, labels: p.labels, ...(p.box ? { box: p.box } : {}) });
    }
  }
  return { first: Math.min(...objects.flatMap((o) => o.prompts.map((p) => p.frame))), ids: [...ids.values()] };
}

/** Which proposals a `keep` setting keeps: all, or the best N by predicted IoU, then stability, then id. */
export function proposalsToKeep(proposals: { id: number; predictedIou: number; stabilityScore: number }[], keep: 'all' | number): number[] {
  const ranked = [...proposals].sort((a, b) => b.predictedIou - a.predictedIou || b.stabilityScore - a.stabilityScore || a.id - b.id);
  return (keep === 'all' ? ranked : ranked.slice(0, keep)).map((p) => p.id);
}

async function seedSegment(
  s: AppServices,
  seed: Extract<HeadlessSeed, { kind: 'segment' }>,
  frames: number,
  onProgress?: (p: HeadlessProgress) => void,
): Promise<{ first: number; ids: number[] }> {
  if (seed.frame >= frames)
    throw new HeadlessRunError({ code: 'BAD_FRAME', message: `segmentEverything.frame is ${seed.frame}, but the video has frames 0..${frames - 1}` });
  const { jobId } = await call(s, 'segment.everything', { ...seed.options, frame: seed.frame });
  await finished(s, jobId, 'segment', onProgress);
  const proposals = await call(s, 'segment.proposals', { frame: seed.frame });
  if (proposals.length === 0) throw new HeadlessRunError({ code: 'NO_PROPOSALS', message: `segment everything found no object on frame ${seed.frame}` });
  const kept = await call(s, 'segment.keep', { frame: seed.frame, proposalIds: proposalsToKeep(proposals, seed.keep) });
  return { first: seed.frame, ids: kept.map((o) => o.id) };
}

/** Runs the whole pass; the project stays open in `s` (the caller closes it or keeps working). */
export async function runHeadless(s: AppServices, input: HeadlessRunInput): Promise<HeadlessRunResult> {
  const note = input.note ?? (() => {});
  const { signal, onProgress } = input;
  // a cancel stops the running job (extraction, segmentation, propagation, export) at once
  const onAbort = () => void s.jobs.cancelAll();
  signal?.addEventListener('abort', onAbort, { once: true });
  const step = <T>(v: T): T => {
    if (signal?.aborted) throw cancelled();
    return v;
  };
  try {
    step(null);
    const state = await call(s, 'project.openVideo', { path: input.video, projectDir: input.projectDir });
    if (state.extractJobId) await finished(s, state.extractJobId, 'frames', onProgress);
    const pack = step(await selectPack(s, input.packDir, input.packSource ?? 'model', note));
    const frames = state.video.frames;
    const seeded = step(
      input.seed.kind === 'prompts' ? await seedPrompts(s, input.seed.objects, frames, note) : await seedSegment(s, input.seed, frames, onProgress),
    );
    // forward from the first seeded frame to the end, then back from it to frame 0
    const { jobId } = await call(s, 'track.propagate', { frame: seeded.first, direction: seeded.first > 0 ? 'both' : 'forward' });
    await finished(s, step(jobId), 'propagate', onProgress);
    const exported = await finished(s, step((await call(s, 'export.run', input.exportRequest)).jobId), 'export', onProgress);
    step(null);
    return { pack, frames, objectIds: seeded.ids, export: exported.result as HeadlessRunResult['export'] };
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
