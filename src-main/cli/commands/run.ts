// `maskline run`: the headless batch — video + prompts in, SAM 2.1 propagation over the whole
// video, masks stored in a project, export out. The project is created in --project, or
// updated when it already holds this video.
import { readFileSync } from 'node:fs';
import type { CliCommand } from '../command';
import { UsageError } from '../args';
import { encodeMask } from '../../core/masks/rle';
import { Sam2VideoPredictor, type FrameResult } from '../../core/sam2/predictor';
import { VideoFileFrameSource } from '../../core/sam2/frame-source-video';
import { openProjectStore, type ProjectStore } from '../../core/store';
import { computeVideoKey, probeVideo } from '../../core/video';
import { runExport, storeExportSource } from '../../core/export';
import { EXPORT_FLAGS, exportRequestFromFlags, exportWithConsole, progressPrinter } from './export';

export interface PromptsFile {
  objects: { id: number; name?: string; label?: string }[];
  prompts: { objectId: number; frame: number; points: [number, number][]; labels: number[]; box: [number, number, number, number] | null }[];
}

/**
 * prompts.json: `{ "objects"?: [{ id, name?, label? }], "prompts": [{ objectId, frame,
 * points?: [[x, y]], labels?: [1|0], box?: [x0, y0, x1, y1] }] }`, video pixels, 0-based
 * frames: the arguments of the API's `prompts.add`, one entry per object and frame.
 */
export function parsePrompts(text: string, file: string): PromptsFile {
  const bad = (msg: string): never => {
    throw new Error(`${file}: ${msg}`);
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    bad(`not valid JSON (${(err as Error).message})`);
  }
  const d = data as { objects?: unknown; prompts?: unknown };
  if (!d || typeof d !== 'object' || !Array.isArray(d.prompts) || d.prompts.length === 0) bad('expected { "prompts": [ ... ] } with at least one prompt');
  const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;
  const isXY = (p: unknown) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isFinite(v));
  const objects: PromptsFile['objects'] = [];
  for (const [i, o] of ((d.objects ?? []) as unknown[]).entries()) {
    const obj = o as { id?: unknown; name?: unknown; label?: unknown };
    if (!obj || !isId(obj.id)) bad(`objects[${i}].id must be a positive integer`);
    if (obj.name !== undefined && typeof obj.name !== 'string') bad(`objects[${i}].name must be a string`);
    if (obj.label !== undefined && typeof obj.label !== 'string') bad(`objects[${i}].label must be a string`);
    if (objects.some((x) => x.id === obj.id)) bad(`objects[${i}]: object ${obj.id} is listed twice`);
    objects.push({ id: obj.id as number, name: obj.name as string | undefined, label: obj.label as string | undefined });
  }
  const prompts: PromptsFile['prompts'] = (d.prompts as unknown[]).map((p, i) => {
    const e = p as { objectId?: unknown; frame?: unknown; points?: unknown; labels?: unknown; box?: unknown };
    const at = `prompts[${i}]`;
    if (!e || !isId(e.objectId)) bad(`${at}.objectId must be a positive integer`);
    if (!Number.isSafeInteger(e.frame) || (e.frame as number) < 0) bad(`${at}.frame must be a frame index ≥ 0`);
    const points = e.points ?? [];
    const labels = e.labels ?? [];
    if (!Array.isArray(points) || !points.every(isXY)) bad(`${at}.points must be [[x, y], ...] in video pixels`);
    if (!Array.isArray(labels) || labels.length !== (points as unknown[]).length || !labels.every((l) => l === 0 || l === 1)) {
      bad(`${at}.labels must hold one 1 (positive) or 0 (negative) per point`);
    }
    const box = e.box ?? null;
    if (box !== null && (!Array.isArray(box) || box.length !== 4 || !box.every((v) => Number.isFinite(v)) || box[2] <= box[0] || box[3] <= box[1])) {
      bad(`${at}.box must be [x0, y0, x1, y1] with x1 > x0 and y1 > y0`);
    }
    if ((points as unknown[]).length === 0 && box === null) bad(`${at} needs points or a box`);
    if (objects.length && !objects.some((o) => o.id === e.objectId)) bad(`${at}.objectId ${e.objectId} is not in "objects"`);
    return { objectId: e.objectId as number, frame: e.frame as number, points: points as [number, number][], labels: labels as number[], box: box as PromptsFile['prompts'][number]['box'] };
  });
  const seen = new Set<string>();
  for (const p of prompts) {
    const key = `${p.objectId}@${p.frame}`;
    if (seen.has(key)) bad(`object ${p.objectId} has two prompts on frame ${p.frame}; merge their points into one entry`);
    seen.add(key);
  }
  for (const id of new Set(prompts.map((p) => p.objectId))) if (!objects.some((o) => o.id === id)) objects.push({ id });
  return { objects, prompts };
}

/** Puts the video and the objects into the project; returns prompts.json id → project object id. */
async function prepareProject(store: ProjectStore, video: string, spec: PromptsFile): Promise<Map<number, number>> {
  const { key } = await computeVideoKey(video);
  const main = store.videos.main();
  if (main && main.key !== key) throw new Error(`${store.dir} is the project of another video (${main.path}); choose another --project`);
  store.videos.upsert({ path: video, key, probe: await probeVideo(video) });
  const ids = new Map<number, number>();
  for (const o of spec.objects) {
    const existing = store.objects.get(o.id);
    const patch = { ...(o.name !== undefined ? { name: o.name } : {}), ...(o.label !== undefined ? { label: o.label } : {}) };
    const obj = existing ? store.objects.update(o.id, patch) : store.objects.add(patch);
    if (obj.id !== o.id) console.error(`object ${o.id} of the prompts is object ${obj.id} in the project`);
    ids.set(o.id, obj.id);
  }
  return ids;
}

function storeFrame(store: ProjectStore, f: FrameResult, w: number, h: number, runId: number): void {
  store.masks.putMany(
    f.objects
      .filter((o) => o.hasOutput && o.mask)
      .map((o) => ({ objectId: o.objId, frame: f.frame, rle: encodeMask(o.mask!, h, w), score: o.scoreLogit, source: o.isCond ? ('prompt' as const) : ('propagated' as const), runId })),
  );
}

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'Video + prompts in, SAM 2.1 propagation, export out (headless batch)',
  flags: {
    model: { type: 'string', required: true, help: 'model pack folder (maskline-sam2 format)' },
    video: { type: 'string', required: true, help: 'the video file' },
    prompts: { type: 'string', required: true, help: 'prompts.json: { "objects"?: [{id, name, label}], "prompts": [{objectId, frame, points, labels, box}] }' },
    project: { type: 'string', required: true, help: 'project folder to create, or to update when it holds this video' },
    ...EXPORT_FLAGS,
  },
  async run(flags) {
    const request = exportRequestFromFlags(flags);
    const promptsPath = String(flags.prompts);
    let text: string;
    try {
      text = readFileSync(promptsPath, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read --prompts ${promptsPath}: ${(err as Error).message}`);
    }
    const spec = parsePrompts(text, promptsPath);
    const video = String(flags.video);
    const store = openProjectStore(String(flags.project));
    try {
      const ids = await prepareProject(store, video, spec);
      await exportWithConsole(async (signal, onExportProgress) => {
        await propagate(store, String(flags.model), video, spec, ids, signal);
        return runExport(storeExportSource(store), request, { signal, onProgress: onExportProgress });
      });
      return 0;
    } finally {
      store.close();
    }
  },
};

async function propagate(store: ProjectStore, model: string, video: string, spec: PromptsFile, ids: Map<number, number>, signal: AbortSignal): Promise<void> {
  const source = await VideoFileFrameSource.open(video, { signal });
  const predictor = await Sam2VideoPredictor.create(model, source).catch(async (err) => {
    await source.close();
    throw err;
  });
  const run = store.runs.start({ kind: 'propagate', params: { video, prompts: spec.prompts.length, cli: 'run' }, packId: predictor.pack.manifest.name });
  try {
    const { width: w, height: h, numFrames } = predictor;
    for (const p of spec.prompts) {
      if (p.frame >= numFrames) throw new Error(`prompt on frame ${p.frame} of object ${p.objectId}: the video has frames 0..${numFrames - 1}`);
      const objectId = ids.get(p.objectId)!;
      store.prompts.set({ objectId, frame: p.frame, points: p.points, labels: p.labels, box: p.box });
      const r = await predictor.addPoints(p.frame, objectId, { points: p.points, labels: p.labels, box: p.box });
      storeFrame(store, r, w, h, run.id);
    }
    // forward from the first prompted frame to the end, then back from it to frame 0
    const first = Math.min(...spec.prompts.map((p) => p.frame));
    const progress = progressPrinter((line) => console.error(line));
    let done = 0;
    for (const reverse of first > 0 ? [false, true] : [false]) {
      for await (const f of predictor.propagate({ start: first, reverse, signal })) {
        storeFrame(store, f, w, h, run.id);
        store.runs.progress(run.id, ++done);
        progress({ phase: 'propagate', done, total: numFrames + (first > 0 ? 1 : 0), unit: 'frames' });
      }
    }
    store.runs.finish(run.id, 'done');
  } catch (err) {
    store.runs.finish(run.id, signal.aborted ? 'cancelled' : 'failed', (err as Error).message);
    throw err;
  } finally {
    await predictor.dispose();
  }
}
