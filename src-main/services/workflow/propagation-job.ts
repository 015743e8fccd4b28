// A propagation (or re-propagation) as a job: the engine streams frames, each frame's masks land
// in SQLite in one transaction (source 'propagated', run id, pack id, engine state, and the
// touched cells' previous content for undo) before it is announced with masks.updated. Prompted
// frames are never rewritten (only their "tracked" flag). Cancel stops the engine and keeps the
// frames already written; a failure (e.g. DISK_FULL) keeps them too. Either way the engine's view
// of the planned frames is put back from the database, since it may have computed frames that
// never reached it. The run is one undo entry.
// Resume (issue 13): frames already tracked since the last prompt change (e.g. by a cancelled
// run) are not computed again; the job's label then says "resuming at frame N".
import type { EventBus } from '../events';
import type { JobFn } from '../../core/jobs';
import { syncCells, type SyncContext } from './engine-sync';
import { writePropagatedFrame } from './frame-writer';
import type { UndoHistory } from './history';
import { passFrames, resumePasses, type Pass } from './propagation-plan';

export interface RunSpec {
  kind: 'propagate' | 'repropagate';
  label: string;
  passes: Pass[];
  params: Record<string, unknown>;
}

export interface RunHost {
  readonly history: UndoHistory;
  readonly events: EventBus;
  numFrames(): number;
  withEngine<T>(fn: (ctx: SyncContext) => Promise<T>): Promise<T>;
  /** the engine could not be put back in step with the database: restore it fully next time */
  invalidateEngine(): void;
  log(line: string): void;
}

export interface RunResult {
  /** null: nothing was stale, no run was made */
  runId: number | null;
  frames: number;
  /** where the run began when it resumed after frames already tracked; else null */
  resumedAt: number | null;
  /** frames of the request left out because they were tracked since the last prompt change */
  skipped: number;
}

/** Frames the worker may compute ahead of what was written (the engine client's back-pressure). */
const WINDOW = 2;

export function propagationJob(host: RunHost, spec: RunSpec): JobFn<RunResult> {
  return (job) =>
    host.withEngine(async (ctx) => {
      const { store } = ctx;
      const n = host.numFrames();
      // after the engine sync (which may re-prompt frames of another pack): what is stale now
      const plan = resumePasses(spec.passes, (id, reverse) => store.tracked.currentFrames(id, reverse, ctx.packId), n);
      const passes = plan.passes;
      if (passes.length === 0) {
        job.relabel(`${spec.label} — already tracked since the last prompt change`);
        job.report(0, 0, 'frames');
        return { runId: null, frames: 0, resumedAt: null, skipped: plan.skipped };
      }
      if (plan.resumedAt !== null) job.relabel(`${spec.label} — resuming at frame ${plan.resumedAt}`);
      const total = passes.reduce((a, p) => a + passFrames(p, n).length, 0);
      const objectIds = [...new Set(passes.flatMap((p) => p.objIds))];
      const run = store.runs.start({ kind: spec.kind, params: { ...spec.params, resumedAt: plan.resumedAt }, packId: ctx.packId });
      const entry = host.history.newId();
      let done = 0;
      const written = passes.map(() => new Set<number>());
      job.report(0, total, 'frames');

      const meta = { entry, runId: run.id, packId: ctx.packId, size: ctx.size };

      try {
        for (const [i, pass] of passes.entries()) {
          const frames = ctx.client.propagate({
            start: pass.start,
            maxFrames: pass.maxFrames,
            reverse: pass.reverse,
            objIds: pass.objIds,
            snapshot: true,
            signal: job.signal,
            window: WINDOW,
          });
          for await (const f of frames) {
            // frames the worker computed before it saw the cancel are not written
            job.signal.throwIfAborted();
            const masks = writePropagatedFrame(store, f, meta, done + 1);
            written[i]!.add(f.frame);
            done++;
            // the run is undoable from its first frame on, and its entry is saved with the
            // project then (a crash later keeps both the frames and their undo)
            if (done === 1) host.history.push({ kind: 'cells', id: entry, label: spec.label, objectIds });
            host.events.emit('masks.updated', { frame: f.frame, masks });
            job.report(done, total, 'frames');
          }
        }
        store.runs.finish(run.id, 'done');
        return { runId: run.id, frames: done, resumedAt: plan.resumedAt, skipped: plan.skipped };
      } catch (err) {
        const state = job.signal.aborted ? 'cancelled' : 'failed';
        try {
          store.runs.finish(run.id, state, state === 'cancelled' ? 'cancelled' : (err as Error).message);
        } catch (e) {
          host.log(`[workflow] could not record the end of run ${run.id}: ${(e as Error).message}`);
        }
        // frames written are the engine's own results: only what it may have computed beyond them
        // is put back (so a resumed run continues with the same memory as an unbroken one)
        const planned = passes.flatMap((p, i) =>
          passFrames(p, n)
            .filter((frame) => !written[i]!.has(frame))
            .flatMap((frame) => p.objIds.map((objectId) => ({ objectId, frame }))),
        );
        await syncCells(ctx, planned).catch((e) => {
          host.log(`[workflow] engine out of step after run ${run.id}: ${(e as Error).message}`);
          host.invalidateEngine();
        });
        throw err;
      } finally {
        try {
          host.events.emit('tracks.updated', store.trackSummaries());
        } catch (e) {
          host.log(`[workflow] tracks after run ${run.id}: ${(e as Error).message}`);
        }
      }
    });
}
