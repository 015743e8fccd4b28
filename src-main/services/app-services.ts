// One AppServices per app instance implements the API contract over the core modules;
// the adapters (Electron IPC, browser host) only route to call() and forward events.
import { existsSync, rmSync } from 'node:fs';
import type { AppInfo, ApiResult, ExportRequest, ModelFamilyId, ProjectCloseReason, ProjectState, RecentProject, SavedView } from '../api/contract';
import type { EventMessage } from '../api/bridge';
import { API_CODES, ApiCallError, okResult, toApiError } from '../api/errors';
import { validateCall } from '../api/methods';
import { exportJob, storeExportSource } from '../core/export';
import { JobRegistry } from '../core/jobs';
import type { PredictorOptions } from '../core/sam2/predictor';
import { SETTING_KEYS } from '../core/store';
import { appInfo } from './app-info';
import { BatchApi } from './batch-api';
import { detectRepoRoot } from './install-locations';
import type { ApiBackend } from './backend';
import { dataLayout, type DataLayout } from './data-layout';
import { EngineManager } from './engine-manager';
import { engineStartFor } from './engine-start';
import { EventBus } from './events';
import { startExtractionJob } from './extraction-job';
import type { FrameRef } from './frame-request';
import { workflowHandlers, type Handlers } from './handlers';
import { ModelsService } from './models-service';
import { LabelsService } from './labels-service';
import type { OpenProject } from './current-project';
import { openProjectFolder, openVideoProject } from './project-loader';
import { isInside } from './path-containment';
import { RecentProjects } from './recent-projects';
import { relocateVideo } from './relocate';
import { editsProject, readOnlyError } from './read-only-rules';
import { busyDecision, busyError } from './workflow/busy-rules';
import { Workflow } from './workflow/workflow';

export interface Dialogs {
  openVideo(): Promise<string | null>;
  chooseFolder(title?: string): Promise<string | null>;
  /** show a file or folder in the OS file manager (Electron: shell.showItemInFolder) */
  revealPath?(path: string): Promise<boolean>;
}

export interface AppServicesOptions {
  dataDir: string;
  transport: AppInfo['transport'];
  version: string;
  /** Electron's native dialogs; absent in the browser host (the dialog methods answer null) */
  dialogs?: Dialogs;
  log?: (line: string) => void;
  jobs?: JobRegistry;
  /** the checkout in development (its models/ folder holds packs); default: detected, null when packaged */
  repoRoot?: string | null;
  /** the engine's provider, threads, caches (default: the engine's defaults) */
  engine?: PredictorOptions;
  /** environment for MASKLINE_MODELS / MASKLINE_CATALOG (default process.env) */
  env?: Record<string, string | undefined>;
  workerPath?: string;
  /** the CLIP labels worker (default: out/main/labels-worker.js) */
  labelsWorkerPath?: string;
}

export class AppServices implements ApiBackend {
  readonly layout: DataLayout;
  readonly jobs: JobRegistry;
  readonly events = new EventBus();
  readonly engine: EngineManager;
  readonly models: ModelsService;
  readonly labels: LabelsService;
  private project: OpenProject | null = null;
  private workflow: Workflow | null = null;
  private readonly recent: RecentProjects;
  private readonly log: (line: string) => void;
  /** opening and closing run one after another, never interleaved */
  private lifecycle: Promise<unknown> = Promise.resolve();
  /** per video key: when its last extraction's ffmpeg has really stopped */
  private readonly extractionStopped = new Map<string, Promise<void>>();
  private readonly handlers: Handlers;
  private changePending = false;
  /** the batch queue's connections (docs/batch.md): made only when the Batch panel is used */
  private readonly batch = new BatchApi();

  constructor(private readonly opts: AppServicesOptions) {
    this.layout = dataLayout(opts.dataDir);
    this.log = opts.log ?? ((l) => console.error(l));
    this.jobs = opts.jobs ?? new JobRegistry();
    this.recent = new RecentProjects(this.layout.recentFile, this.log);
    const repoRoot = opts.repoRoot === undefined ? detectRepoRoot() : opts.repoRoot;
    const env = opts.env ?? process.env;
    // headless transports open the engine without pre-encoding (engine-start.ts says why)
    const start = engineStartFor(opts.transport);
    this.engine = new EngineManager({
      dataDir: this.layout.root,
      repoRoot,
      env,
      engine: { ...start.engine, ...opts.engine },
      preencode: start.preencode,
      workerPath: opts.workerPath,
      log: this.log,
    });
    this.models = new ModelsService({
      engine: this.engine,
      jobs: this.jobs,
      dataDir: this.layout.root,
      repoRoot,
      env,
      remember: (id, family) => {
        const store = this.project?.store;
        if (!store || store.readOnly) return;
        store.settings.set(SETTING_KEYS.lastPack, id);
        store.settings.set(SETTING_KEYS.lastPackFamily, family);
      },
      projectFamily: () => this.projectFamily(),
    });
    this.labels = new LabelsService({
      jobs: this.jobs,
      dataDir: this.layout.root,
      project: () => this.project,
      workflow: () => this.workflow,
      workerPath: opts.labelsWorkerPath,
    });
    this.jobs.on((s) => this.events.emit('job.updated', s));
    this.engine.onChange((s) => this.events.emit('engine.changed', s));
    this.engine.onPreencode((s) => this.events.emit('engine.preencode', s));
    this.handlers = {
      'app.info': () => appInfo({ version: opts.version, transport: opts.transport, dataDir: this.layout.root }),
      'app.recentProjects': () => this.recent.list(),
      'app.revealPath': async (a) => {
        if (!existsSync(a.path)) throw new ApiCallError('FILE_NOT_FOUND', `${a.path} does not exist.`, { file: a.path });
        return { opened: (await this.opts.dialogs?.revealPath?.(a.path)) ?? false };
      },
      'dialog.openVideo': () => this.opts.dialogs?.openVideo() ?? null,
      'dialog.chooseFolder': (a) => this.opts.dialogs?.chooseFolder(a.title) ?? null,
      'project.openVideo': (a) => this.serial(() => this.openVideo(a.path, a.projectDir)),
      'project.open': (a) => this.serial(() => this.openFolder(a.dir)),
      'project.state': () => this.state(),
      'project.close': () => this.serial(() => this.closeProject('closed').then(() => null)),
      'project.saveView': (a) => this.saveView(a),
      'project.relocateVideo': (a) => this.serial(() => this.relocate(a.path)),
      'jobs.list': () => this.jobs.list(),
      'jobs.cancel': (a) => {
        if (!this.jobs.get(a.id)) throw new ApiCallError('JOB_NOT_FOUND', `There is no job ${a.id} (it may have finished long ago).`);
        this.jobs.cancel(a.id);
        return null;
      },
      'models.list': () => this.models.list(),
      'models.catalog': () => this.models.catalog(),
      'models.select': (a) => {
        const busy = this.workflow?.busy() ?? null;
        if (busy && busyDecision('models.select', busy) === 'refuse') throw busyError(busy);
        return this.models.select(a.id, a.confirmFamilySwitch === true);
      },
      'engine.setProvider': async (a) => {
        const busy = this.workflow?.busy() ?? null;
        if (busy && busyDecision('models.select', busy) === 'refuse') throw busyError(busy);
        await this.engine.setProvider(a.provider);
        return this.engine.status();
      },
      'models.import': (a) => this.models.import(a.dir),
      'models.download': (a) => this.models.download(a.catalogId),
      'export.run': (a) => this.exportRun(a),
      'labels.models': () => this.labels.models(),
      'labels.importModel': (a) => this.labels.importModel(a.dir),
      'labels.selectModel': (a) => this.labels.selectModel(a.id, a.variant),
      'labels.removeModel': (a) => this.labels.removeModel(a.id),
      'labels.getSet': () => this.labels.getSet(),
      'labels.setSet': (a) => this.labels.setSet(a.labels, a.templates),
      'labels.setCrop': (a) => this.labels.setCrop(a.crop),
      'labels.suggest': (a) => this.labels.suggest(a.objectId, a.framesPerTrack, a.crop),
      'labels.labelAll': (a) => this.labels.labelAll(a.framesPerTrack, a.crop),
      'labels.proposals': (a) => this.labels.proposals(a.frame, a.crop),
      'labels.keepLabel': (a) => this.labels.keepLabel(a.frame, a.label, a.minConfidence),
      'labels.info': () => this.labels.labelInfo(),
      'engine.preencode': (a) => {
        if (!this.workflow) throw new ApiCallError(API_CODES.noProject, 'Open a video first.');
        this.workflow.checkFrame(a.frame);
        return this.engine.preencode(a.frame);
      },
      'engine.setPreencode': (a) => this.engine.setPreencode(a),
      'batch.submit': (a) => this.batch.submit(a),
      'batch.status': (a) => this.batch.status(a),
      'batch.cancel': (a) => this.batch.cancel(a),
      'batch.retry': (a) => this.batch.retry(a),
      ...workflowHandlers(
        () => this.workflow,
        () => this.state(),
      ),
    };
  }

  async call(method: unknown, args: unknown): Promise<ApiResult<unknown>> {
    try {
      const v = validateCall(method, args);
      if (this.project?.store.readOnly && editsProject(v.method)) throw readOnlyError(this.project.dir, v.method);
      const handler = this.handlers[v.method] as (a: unknown) => unknown;
      return okResult(await handler(v.args));
    } catch (err) {
      const { error, unexpected } = toApiError(err);
      if (unexpected) this.log(`[services] ${String(method)} failed unexpectedly: ${(err as Error)?.stack ?? err}`);
      return { ok: false, error };
    }
  }

  subscribe(listener: (m: EventMessage) => void): () => void {
    return this.events.subscribe(listener);
  }

  frameFile(ref: FrameRef): string | null {
    return this.project?.frameFile(ref) ?? null;
  }

  /** The open project, for later services (engine, export) that build on the shell. */
  get current(): OpenProject | null {
    return this.project;
  }

  /** On quit: stop every job (extraction kills ffmpeg, propagation keeps its frames), close the database and the engine. */
  async shutdown(graceMs = 5000): Promise<void> {
    const r = await this.jobs.shutdown(graceMs);
    if (r.abandoned.length) this.log(`[services] jobs still running at quit: ${r.abandoned.join(', ')}`);
    await this.workflow?.stop(graceMs);
    this.workflow = null;
    this.project?.close();
    this.project = null;
    await this.engine.shutdown();
    await this.labels.shutdown();
    await this.batch.close();
  }

  /** The family the open project's work was made with: the one last chosen for it, else the engine's (null: nothing prompted). */
  private projectFamily(): ModelFamilyId | null {
    if (!this.project || this.project.store.prompts.list().length === 0) return null;
    return this.project.store.settings.get<ModelFamilyId>(SETTING_KEYS.lastPackFamily) ?? this.engine.status().pack?.family?.id ?? null;
  }

  private state(): ProjectState | null {
    const p = this.project;
    if (!p) return null;
    const w = this.workflow;
    return {
      ...p.state(),
      engine: this.engine.status(),
      ...(w ? w.history.state() : { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null }),
      busy: w?.busy() ?? null,
      videoMissing: p.videoMissing,
      readOnly: p.store.readOnly,
    };
  }

  /** Where the user is in the project (playhead, zoom/pan, selected object), kept for its next open. */
  private saveView(v: SavedView): null {
    const p = this.project;
    if (!p) throw new ApiCallError(API_CODES.noProject, 'Open a video first.');
    p.store.settings.set(SETTING_KEYS.view, v);
    return null;
  }

  /** project.changed once per tick, however many changes happened in it. */
  private changed(): void {
    if (this.changePending) return;
    this.changePending = true;
    setImmediate(() => {
      this.changePending = false;
      const s = this.state();
      if (s) this.events.emit('project.changed', s);
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lifecycle.then(fn, fn);
    this.lifecycle = run.catch(() => undefined);
    return run;
  }

  private async openVideo(path: string, projectDir?: string): Promise<ProjectState> {
    const current = this.project;
    const opened = await openVideoProject(this.layout, path, projectDir, current);
    if (opened === current) return this.state()!;
    return this.adopt(opened);
  }

  private async openFolder(dir: string): Promise<ProjectState> {
    const current = this.project;
    const opened = await openProjectFolder(this.layout, dir, current);
    if (opened === current) return this.state()!;
    return this.adopt(opened);
  }

  private async relocate(path: string): Promise<ProjectState> {
    const p = this.project;
    if (!p) throw new ApiCallError(API_CODES.noProject, 'Open a project first.');
    const busy = this.workflow?.busy() ?? null;
    if (busy && busyDecision('relocate', busy) === 'refuse') throw busyError(busy);
    await relocateVideo(p, path);
    if (!p.video.cache.isComplete() && !p.extractJobId) this.extract(p);
    this.changed();
    return this.state()!;
  }

  /** Make `p` the open project (closing the previous one) and start its extraction if needed. */
  private async adopt(p: OpenProject): Promise<ProjectState> {
    await this.closeProject('replaced');
    this.project = p;
    this.workflow = new Workflow({ project: p, jobs: this.jobs, engine: this.engine, events: this.events, log: this.log, changed: () => this.changed() });
    if (!p.video.cache.isComplete() && !p.videoMissing) this.extract(p);
    void this.engine.attach({
      framesDir: p.video.cache.dir,
      framesComplete: () => p.video.cache.isComplete(),
      framesProgress: () => ({ ready: p.framesReady(), total: p.video.probe.frames }),
      preferredPack: () => p.store.settings.get<string>(SETTING_KEYS.lastPack),
    });
    this.recent.add({ dir: p.dir, videoName: p.video.path.split(/[\\/]/).pop() ?? p.video.path, openedAt: new Date().toISOString() } satisfies RecentProject);
    // every window (another browser tab, a renderer that started before an --open finished) follows
    const state = this.state()!;
    this.events.emit('project.changed', state);
    return state;
  }

  private extract(p: OpenProject): void {
    const key = p.video.key;
    const handle = startExtractionJob(this.jobs, p, this.extractionStopped.get(key) ?? Promise.resolve());
    p.extractJobId = handle.id;
    this.extractionStopped.set(key, handle.settled);
    void handle.outcome.then((o) => {
      if (this.project !== p) return;
      p.extractJobId = null;
      if (o.state === 'done') {
        void this.engine.reload();
        this.events.emit('project.changed', this.state()!);
        return;
      }
      if (o.state === 'failed') this.log(`[services] extraction of ${p.video.path} failed: ${o.error.code} ${o.error.message}`);
      void this.serial(async () => {
        if (this.project === p) await this.closeProject(o.state === 'failed' ? 'extraction-failed' : 'extraction-cancelled');
      });
    });
  }

  private exportRun(a: ExportRequest): { jobId: string } {
    const p = this.project;
    if (!p) throw new ApiCallError(API_CODES.noProject, 'Open a project first.');
    const handle = this.jobs.create('export', `Exporting ${a.formats.join(', ')}`, exportJob(storeExportSource(p.store), a), {
      unit: 'frames',
      result: (r) => ({ outDir: a.outDir, files: r.files, fileCount: r.fileCount, warnings: r.warnings, frames: r.frames }),
    });
    return { jobId: handle.id };
  }

  /**
   * Close the open project. Frames that never completed are removed once ffmpeg has
   * stopped (a later open extracts again anyway), and when the very open that created a
   * project in the default place ends without frames and without objects, the project
   * folder goes too: a failed or cancelled open leaves nothing half-written behind.
   */
  private async closeProject(reason: ProjectCloseReason): Promise<void> {
    const p = this.project;
    if (!p) return;
    const w = this.workflow;
    this.project = null;
    this.workflow = null;
    if (p.extractJobId) this.jobs.cancel(p.extractJobId);
    // a running propagation keeps the frames it wrote; nothing may write after the database closes
    await w?.stop();
    void this.engine.attach(null);
    const abandoned = !p.video.cache.isComplete();
    const removeFolder =
      abandoned &&
      (reason === 'extraction-failed' || reason === 'extraction-cancelled') &&
      p.createdNow &&
      p.dir !== this.layout.projects &&
      isInside(this.layout.projects, p.dir) &&
      p.store.objects.list().length === 0;
    p.close();
    if (abandoned) {
      const stopped = this.extractionStopped.get(p.video.key) ?? Promise.resolve();
      void stopped.then(() => {
        if (this.project?.video.key !== p.video.key && !p.video.cache.isComplete()) rmSync(p.video.cache.dir, { recursive: true, force: true });
        if (removeFolder && this.project?.dir !== p.dir) rmSync(p.dir, { recursive: true, force: true });
      });
    }
    this.events.emit('project.closed', { dir: p.dir, reason });
  }
}
