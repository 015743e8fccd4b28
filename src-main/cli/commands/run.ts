// `maskline run`: video + prompts in, propagation, export out — headless, through the very
// services the Electron app and the browser host use (AppServices), so the project it writes
// is an ordinary project: the app opens it with its objects, prompts, masks and engine state.
// prompts.json is `maskline track`'s format (src-main/core/sam2/track-prompts.ts).
import { delimiter, dirname, resolve } from 'node:path';
import type { ApiError, JobSnapshot, MethodArgs, MethodName, MethodResult, ModelPackInfo } from '../../api/contract';
import { PromptsFileError, readTrackPrompts, type TrackObject } from '../../core/sam2/track-prompts';
import { AppServices } from '../../services/app-services';
import { defaultDataDir } from '../../services/install-locations';
import { UsageError } from '../args';
import type { CliCommand } from '../command';
import { EXPORT_FLAGS, exportRequestFromFlags, progressPrinter } from './export';

class RunError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

/** One API call; a failure becomes an error carrying the API's code and message. */
async function call<M extends MethodName>(s: AppServices, method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
  const r = await s.call(method, args);
  if (!r.ok) throw new RunError(r.error);
  return r.value as MethodResult<M>;
}

/** Resolves with the job's last snapshot once it ended; progress lines go to stderr. */
function finished(s: AppServices, jobId: string, phase: string): Promise<JobSnapshot> {
  const print = progressPrinter((line) => console.error(line));
  return new Promise((resolveJob, reject) => {
    const check = (j: JobSnapshot | undefined) => {
      if (!j || j.id !== jobId) return;
      print({ phase, done: j.done, total: j.total, unit: j.unit });
      if (j.state === 'done') resolveJob(j);
      else if (j.state === 'failed' || j.state === 'cancelled') {
        reject(new RunError({ code: j.errorCode ?? (j.state === 'cancelled' ? 'CANCELLED' : 'JOB_FAILED'), message: `${phase}: ${j.error ?? j.state}` }));
      } else return;
      off();
    };
    const off = s.subscribe((m) => m.event === 'job.updated' && check(m.payload as JobSnapshot));
    check(s.jobs.list().find((j) => j.id === jobId));
  });
}

/** The pack in --model, found by listing its parent folder as a models folder (nothing is copied). */
async function selectPack(s: AppServices, packDir: string): Promise<ModelPackInfo> {
  const packs = await call(s, 'models.list', {});
  const pack = packs.find((p) => resolve(p.dir) === packDir);
  if (!pack) throw new RunError({ code: 'PACK_NOT_FOUND', message: `--model ${packDir}: no model pack there (model.json missing)` });
  if (pack.problem) throw new RunError({ code: 'PACK_INVALID', message: `--model ${packDir}: ${pack.problem}` });
  const r = await s.call('models.select', { id: pack.id });
  if (!r.ok && r.error.code === 'FAMILY_SWITCH') {
    // --model names the pack outright: the switch is the user's choice; say what it means
    console.error(`note: ${r.error.message}`);
    await call(s, 'models.select', { id: pack.id, confirmFamilySwitch: true });
  } else if (!r.ok) throw new RunError(r.error);
  return pack;
}

/** Objects of prompts.json → project objects: an existing id is reused, others are created. */
async function objectIds(s: AppServices, objects: TrackObject[]): Promise<Map<number, number>> {
  const existing = new Set((await call(s, 'project.state', {}))!.objects.map((o) => o.id));
  const ids = new Map<number, number>();
  for (const o of objects) {
    const id = existing.has(o.id) ? o.id : (await call(s, 'objects.add', {})).id;
    if (id !== o.id) console.error(`object ${o.id} of the prompts is object ${id} in the project`);
    ids.set(o.id, id);
  }
  return ids;
}

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'Video + prompts in, SAM 2.1 or EdgeTAM propagation, export out (headless batch)',
  flags: {
    model: { type: 'path', required: true, help: 'model pack folder (maskline-sam2 or maskline-edgetam format)' },
    video: { type: 'path', required: true, help: 'the video file' },
    prompts: { type: 'path', required: true, help: 'prompts.json as for `maskline track`: {"objects":[{"id":1,"prompts":[{"frame":0,"points":[[x,y]],"labels":[1],"box":[x0,y0,x1,y1]}]}]}' },
    project: { type: 'path', required: true, help: 'project folder to create, or to update when it holds this video' },
    ...EXPORT_FLAGS,
  },
  async run(flags) {
    const request = exportRequestFromFlags(flags);
    let objects: TrackObject[];
    try {
      objects = readTrackPrompts(String(flags.prompts));
    } catch (err) {
      if (err instanceof PromptsFileError) throw new UsageError(`--prompts ${err.message}`);
      throw err;
    }
    const packDir = resolve(String(flags.model));
    const env = { ...process.env, MASKLINE_MODELS: [dirname(packDir), process.env.MASKLINE_MODELS].filter(Boolean).join(delimiter) };
    const s = new AppServices({ dataDir: defaultDataDir(), transport: 'cli', version: 'cli', env, log: (l) => console.error(l) });
    const onSigint = () => void s.jobs.cancelAll();
    process.once('SIGINT', onSigint);
    try {
      const state = await call(s, 'project.openVideo', { path: resolve(String(flags.video)), projectDir: resolve(String(flags.project)) });
      if (state.extractJobId) await finished(s, state.extractJobId, 'frames');
      const pack = await selectPack(s, packDir);
      console.error(`model: ${pack.name} (${pack.id})`);
      const frames = state.video.frames;
      const ids = await objectIds(s, objects);
      for (const o of objects) {
        for (const p of o.prompts) {
          if (p.frame >= frames) throw new RunError({ code: 'BAD_FRAME', message: `object ${o.id}: a prompt on frame ${p.frame}, but the video has frames 0..${frames - 1}` });
          await call(s, 'prompts.add', { objectId: ids.get(o.id)!, frame: p.frame, points: p.points, labels: p.labels, ...(p.box ? { box: p.box } : {}) });
        }
      }
      // forward from the first prompted frame to the end, then back from it to frame 0
      const first = Math.min(...objects.flatMap((o) => o.prompts.map((p) => p.frame)));
      const { jobId } = await call(s, 'track.propagate', { frame: first, direction: first > 0 ? 'both' : 'forward' });
      await finished(s, jobId, 'propagate');
      const exported = await finished(s, (await call(s, 'export.run', request)).jobId, 'export');
      const r = exported.result as { files: string[]; fileCount: number; warnings: string[]; frames: number };
      for (const w of r.warnings) console.error(`warning: ${w}`);
      console.log(`exported ${r.frames} frames (${r.fileCount} files):`);
      for (const f of r.files) console.log(`  ${f}`);
      return 0;
    } catch (err) {
      if (err instanceof RunError) {
        console.error(`maskline run: ${err.error.code}: ${err.error.message}`);
        return err.error.code === 'CANCELLED' ? 130 : 1;
      }
      throw err;
    } finally {
      process.off('SIGINT', onSigint);
      await s.shutdown();
    }
  },
};
