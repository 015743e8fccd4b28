// The annotation workflow of the open project (docs/workflow.md): objects, prompts, propagation,
// undo/redo, over the project database (the truth) and the engine (a cache of it, restored from
// the database whenever it lost its state); segment everything lives in segment.ts. Mutating
// calls run one after another; a running propagation or segment everything makes prompts,
// undo/redo and another run answer BUSY (once it is cancelled they wait for it to let go of the
// engine instead), and deleting an object cancels it first (keeping the frames already written).
import type { FrameMasks, ImportReport, MaskCandidates, MethodArgs, ObjectInfo, TrackSummary } from '../../api/contract';
import { ApiCallError } from '../../api/errors';
import type { JobFn, JobOptions, JobRegistry } from '../../core/jobs';
import type { Cell } from '../../core/store';
import type { EngineManager } from '../engine-manager';
import type { EventBus } from '../events';
import type { OpenProject } from '../current-project';
import { busyDecision, busyError, type RunningJob, type WorkflowOp } from './busy-rules';
import { syncAll, syncCells, syncObject, type SyncContext } from './engine-sync';
import { UndoHistory, type DroppedEntries, type UndoEntry } from './history';
import { objectEditLabel, objectPatchDiff } from './labels';
import { nextObjectColor } from '../../shared/palette';
import * as prompting from './prompting';
import { runImportJob } from './import-job';
import { propagationJob, type RunSpec } from './propagation-job';
import { propagateSpec, repropagateSpec } from './run-request';
import { SegmentService } from './segment';
import { applyEntry, discardEntries, startSession } from './undo-apply';

/** How long an operation waits for a cancelled job to let go of the engine before it is answered BUSY. */
const CANCELLED_JOB_GRACE_MS = 15_000;

export interface WorkflowDeps {
  project: OpenProject;
  jobs: JobRegistry;
  engine: EngineManager;
  events: EventBus;
  log: (line: string) => void;
  /** the project's state changed (objects, undo labels, busy): announce it */
  changed: () => void;
}

interface Running {
  jobId: string;
  kind: string;
  settled: Promise<void>;
}

export class Workflow implements prompting.PromptHost {
  readonly history: UndoHistory;
  readonly events: EventBus;
  readonly segment: SegmentService;
  private running: Running | null = null;
  private syncedGeneration = -1;
  private mutex: Promise<unknown> = Promise.resolve();

  constructor(private readonly d: WorkflowDeps) {
    this.events = d.events;
    let saved: { undo: UndoEntry[]; redo: UndoEntry[] } = { undo: [], redo: [] };
    try {
      // a new session goes on with the history the last one saved (and tidies what it cannot reach)
      saved = startSession(d.project.store);
    } catch (err) {
      d.log(`[workflow] could not tidy ${d.project.store.file}: ${(err as Error).message}`);
    }
    const store = d.project.store;
    const persist = (stacks: { undo: UndoEntry[]; redo: UndoEntry[] }) => {
      try {
        store.undoEntries.save(stacks);
      } catch (err) {
        // the action itself is saved; only its undo would not survive a reopen
        d.log(`[workflow] could not save the undo history: ${(err as Error).message}`);
      }
    };
    this.history = new UndoHistory(store.undoCells.maxEntry() + 1, (dropped) => this.discard(dropped), undefined, persist, saved);
    this.segment = new SegmentService(this, d.changed);
  }

  get store() {
    return this.d.project.store;
  }

  busy(): { jobId: string; kind: string } | null {
    return this.running ? { jobId: this.running.jobId, kind: this.running.kind } : null;
  }

  numFrames(): number {
    return this.d.project.video.cache.manifest()?.frames ?? this.d.project.video.probe.frames;
  }

  log(line: string): void {
    this.d.log(line);
  }

  invalidateEngine(): void {
    this.syncedGeneration = -1;
  }

  frameMasks(frame: number): FrameMasks {
    this.checkFrame(frame);
    return { frame, masks: this.store.masks.forFrame(frame) };
  }

  tracks(): TrackSummary[] {
    return this.store.trackSummaries();
  }

  /** A single click's candidates kept with the project (Tab after a reopen), or null (none, or another pack's). */
  candidates(a: { objectId: number; frame: number }): MaskCandidates | null {
    this.checkFrame(a.frame);
    const packId = this.d.engine.status().pack?.id;
    return packId ? prompting.storedCandidates({ store: this.store, packId }, a.objectId, a.frame) : null;
  }

  /** Engine work on an engine that holds exactly the database's state. */
  withEngine<T>(fn: (ctx: SyncContext) => Promise<T>): Promise<T> {
    return this.d.engine.run(async (s) => {
      const { width, height } = this.d.project.video.probe;
      const ctx: SyncContext = { store: this.store, client: s.client, packId: s.packId, size: { width, height } };
      if (s.generation !== this.syncedGeneration) {
        this.syncedGeneration = -1;
        await syncAll(ctx);
        this.syncedGeneration = s.generation;
      }
      try {
        return await fn(ctx);
      } catch (err) {
        if ((err as { code?: string }).code === 'WORKER') this.syncedGeneration = -1;
        throw err;
      }
    });
  }

  async commitCells(ctx: SyncContext, entry: number, cells: Cell[], write: () => void): Promise<void> {
    try {
      this.store.transaction(() => {
        this.store.undoCells.capture(entry, 0, cells);
        write();
      });
    } catch (err) {
      await syncCells(ctx, cells).catch(() => this.invalidateEngine());
      throw err;
    }
  }

  // ---------- prompts ----------

  promptsAdd(a: MethodArgs<'prompts.add'>) {
    return this.prompt('prompt', a, (ctx) => prompting.addPoints(this, ctx, a));
  }
  chooseCandidate(a: MethodArgs<'prompts.chooseCandidate'>) {
    return this.prompt('prompt', a, (ctx) => prompting.chooseCandidate(this, ctx, a));
  }
  addMask(a: MethodArgs<'prompts.addMask'>) {
    const { width, height } = this.d.project.video.probe;
    if (a.rle.w !== width || a.rle.h !== height)
      throw new ApiCallError('BAD_ARGS', `args.rle is ${a.rle.w}×${a.rle.h}; masks of this video are ${width}×${height}`, { field: 'args.rle' });
    return this.prompt('prompt', a, (ctx) => prompting.addMask(this, ctx, a));
  }
  clearFrame(a: MethodArgs<'prompts.clearFrame'>) {
    return this.prompt('prompt', a, (ctx) => prompting.clearFrame(this, ctx, a));
  }

  private async prompt<T>(op: WorkflowOp, a: { objectId: number; frame: number }, fn: (ctx: SyncContext) => Promise<T>): Promise<T> {
    this.checkFrame(a.frame);
    await this.admit(op);
    return this.serial(async () => {
      this.guard(op);
      const o = this.store.objects.require(a.objectId);
      if (o.locked) throw new ApiCallError('LOCKED', `${o.name} is locked: unlock it to change its masks.`, { objectId: o.id });
      const r = await this.withEngine(fn);
      this.d.changed();
      return r;
    });
  }

  // ---------- import ----------

  async importAnnotations(a: MethodArgs<'annotations.import'>): Promise<ImportReport> {
    await this.admit('prompt');
    return this.serial(async () => {
      this.guard('prompt');
      const { width, height } = this.d.project.video.probe;
      return runImportJob(
        {
          store: this.store,
          videoShape: () => ({ width, height, frames: this.numFrames() }),
          afterImport: () => {
            this.invalidateEngine();
            this.history.clear();
            this.events.emit('tracks.updated', this.tracks());
            this.d.changed();
          },
        },
        this.d.jobs,
        a,
      );
    });
  }

  // ---------- objects ----------

  objectsAdd(a: MethodArgs<'objects.add'>): Promise<ObjectInfo> {
    return this.serial(async () => {
      const color = nextObjectColor(this.store.objects.list().map((o) => o.color));
      const o = this.store.objects.add({ name: a.name, label: a.label, color });
      this.history.push({ kind: 'object-add', id: this.history.newId(), label: `Add ${o.name}`, objectId: o.id });
      this.d.changed();
      return o;
    });
  }

  objectsUpdate(a: MethodArgs<'objects.update'>): Promise<ObjectInfo> {
    return this.serial(async () => {
      const cur = this.store.objects.require(a.id);
      const { before, after } = objectPatchDiff(cur, a);
      if (Object.keys(after).length === 0) return cur;
      const o = this.store.objects.update(a.id, after);
      this.history.push({ kind: 'object-update', id: this.history.newId(), label: objectEditLabel(cur.name, after), objectId: a.id, before, after });
      this.d.changed();
      return o;
    });
  }

  /** Deleting an object during a propagation cancels it first (its frames so far are kept). */
  async objectsRemove(id: number): Promise<null> {
    const r = this.running;
    if (r && busyDecision('objects.remove', r) === 'cancel-then-run') {
      this.d.log(`[workflow] object ${id} deleted during ${r.kind} ${r.jobId}: cancelling it`);
      this.d.jobs.cancel(r.jobId);
      await r.settled;
    }
    return this.serial(async () => {
      const o = this.store.objects.require(id);
      this.store.objects.remove(id);
      this.history.push({ kind: 'object-remove', id: this.history.newId(), label: `Delete ${o.name}`, objectId: id });
      await this.dropFromEngine(id);
      this.events.emit('tracks.updated', this.tracks());
      this.d.changed();
      return null;
    });
  }

  // ---------- propagation ----------

  async propagate(a: MethodArgs<'track.propagate'>): Promise<{ jobId: string }> {
    await this.admit('propagate');
    return this.startRun(propagateSpec(this.store, a, this.numFrames()));
  }

  async repropagateFrom(frame: number): Promise<{ jobId: string }> {
    await this.admit('propagate');
    return this.startRun(repropagateSpec(this.store, frame, this.numFrames()));
  }

  private startRun(spec: RunSpec): { jobId: string } {
    return this.startJob(spec.kind, spec.label, propagationJob(this, spec), { unit: 'frames', result: (v) => v });
  }

  /** A job that holds the engine: the project is busy (ProjectState.busy) until it settles. */
  startJob<T>(kind: string, label: string, fn: JobFn<T>, opts: JobOptions<T>): { jobId: string } {
    if (!this.d.project.video.cache.isComplete()) {
      const total = this.d.project.video.probe.frames;
      throw new ApiCallError(
        'FRAMES_NOT_READY',
        `The frames are still being prepared (${this.d.project.framesReady()}/${total}); try again when extraction is done.`,
      );
    }
    const handle = this.d.jobs.create(kind, label, fn, opts);
    const running: Running = { jobId: handle.id, kind, settled: handle.settled };
    this.running = running;
    void handle.settled.then(() => {
      if (this.running === running) this.running = null;
      this.d.changed();
    });
    this.d.changed();
    return { jobId: handle.id };
  }

  // ---------- undo / redo ----------

  undo(): Promise<void> {
    return this.step('undo');
  }

  redo(): Promise<void> {
    return this.step('redo');
  }

  private async step(dir: 'undo' | 'redo'): Promise<void> {
    await this.admit('history');
    return this.serial(async () => {
      this.guard('history');
      const e = dir === 'undo' ? this.history.peekUndo() : this.history.peekRedo();
      if (!e) throw new ApiCallError(dir === 'undo' ? 'NOTHING_TO_UNDO' : 'NOTHING_TO_REDO', `There is nothing to ${dir}.`);
      await this.apply(e, dir);
      if (dir === 'undo') this.history.movedToRedo(e);
      else this.history.movedToUndo(e);
      this.events.emit('tracks.updated', this.tracks());
      this.d.changed();
    });
  }

  /** The database part of an undo/redo in one transaction, then the engine follows it. */
  private async apply(e: UndoEntry, dir: 'undo' | 'redo'): Promise<void> {
    const next = applyEntry(this.store, e, dir);
    if (!next) return;
    if ('cells' in next) return this.followInEngine((ctx) => syncCells(ctx, next.cells));
    if ('restoreObjects' in next) {
      return this.followInEngine(async (ctx) => {
        for (const id of next.restoreObjects) await syncObject(ctx, id);
      });
    }
    for (const id of next.dropObjects) await this.dropFromEngine(id);
  }

  /** The engine follows a database change when it can; otherwise it is fully restored later. */
  private async followInEngine(fn: (ctx: SyncContext) => Promise<void>): Promise<void> {
    if (this.d.engine.status().state !== 'ready') {
      this.invalidateEngine();
      return;
    }
    await this.withEngine(fn).catch((err) => {
      this.d.log(`[workflow] the engine will be restored from the database: ${(err as Error).message}`);
      this.invalidateEngine();
    });
  }

  private dropFromEngine(objectId: number): Promise<void> {
    return this.followInEngine((ctx) => ctx.client.importOutputs(objectId, [], 'all').then(() => undefined));
  }

  private discard(d: DroppedEntries): void {
    try {
      discardEntries(this.store, d);
    } catch (err) {
      this.d.log(`[workflow] could not drop old undo entries: ${(err as Error).message}`);
    }
  }

  // ---------- lifecycle ----------

  /** Before the project closes: cancel a running propagation and let queued calls finish. */
  async stop(graceMs = 10_000): Promise<void> {
    const r = this.running;
    if (r) this.d.jobs.cancel(r.jobId);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((res) => (timer = setTimeout(res, graceMs)));
    await Promise.race([Promise.all([r?.settled, this.mutex.catch(() => undefined)]), grace]);
    clearTimeout(timer);
  }

  guard(op: WorkflowOp): void {
    const r = this.running;
    if (r && ['refuse', 'wait-then-run'].includes(busyDecision(op, this.asRunningJob(r)))) throw busyError(r);
  }

  /**
   * guard(), except that a job already cancelled is waited for (it is letting go of the engine:
   * its last graph run, the engine put back in step) rather than answered BUSY — bounded, so a
   * job that never lets go still gets the BUSY answer.
   */
  async admit(op: WorkflowOp, graceMs = CANCELLED_JOB_GRACE_MS): Promise<void> {
    const r = this.running;
    if (r && busyDecision(op, this.asRunningJob(r)) === 'wait-then-run') {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([r.settled, new Promise<void>((res) => (timer = setTimeout(res, graceMs)))]);
      clearTimeout(timer);
    }
    this.guard(op);
  }

  private asRunningJob(r: Running): RunningJob {
    return { kind: r.kind, cancelling: this.d.jobs.get(r.jobId)?.state === 'cancelled' };
  }

  checkFrame(frame: number): void {
    const last = this.numFrames() - 1;
    if (frame > last) throw new ApiCallError('BAD_ARGS', `args.frame ${frame} is past the last frame (${last})`, { field: 'args.frame' });
  }

  /** Mutating calls run one after another. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.mutex.then(fn, fn);
    this.mutex = run.catch(() => undefined);
    return run;
  }
}
