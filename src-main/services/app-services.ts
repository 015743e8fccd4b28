// One AppServices per app instance implements the API contract over the core modules;
// the adapters (Electron IPC, browser host) only route to call() and forward events.
// Methods of later issues that are not built yet answer NOT_AVAILABLE (docs/app-shell.md).
import { rmSync } from 'node:fs';
import type { AppInfo, MethodArgs, MethodName, MethodResult, ProjectCloseReason, ProjectState, RecentProject } from '../api/contract';
import type { EventMessage } from '../api/bridge';
import { API_CODES, ApiCallError, okResult, toApiError } from '../api/errors';
import { validateCall } from '../api/methods';
import type { ApiResult } from '../api/contract';
import { JobRegistry } from '../core/jobs';
import { resolveTool } from '../core/video';
import type { ApiBackend } from './backend';
import { dataLayout, type DataLayout } from './data-layout';
import { EventBus } from './events';
import { startExtractionJob } from './extraction-job';
import type { FrameRef } from './frame-path';
import type { OpenProject } from './open-project';
import { openProjectFolder, openVideoProject } from './project-opening';
import { isInside } from './paths';
import { RecentProjects } from './recent-projects';

export interface Dialogs {
  openVideo(): Promise<string | null>;
  chooseFolder(title?: string): Promise<string | null>;
}

export interface AppServicesOptions {
  dataDir: string;
  transport: 'electron' | 'browser';
  version: string;
  /** Electron's native dialogs; absent in the browser host (the dialog methods answer null) */
  dialogs?: Dialogs;
  log?: (line: string) => void;
  jobs?: JobRegistry;
}

type Handlers = { [M in MethodName]?: (args: MethodArgs<M>) => Promise<MethodResult<M>> | MethodResult<M> };

export class AppServices implements ApiBackend {
  readonly layout: DataLayout;
  readonly jobs: JobRegistry;
  readonly events = new EventBus();
  private project: OpenProject | null = null;
  private readonly recent: RecentProjects;
  private readonly log: (line: string) => void;
  /** opening and closing run one after another, never interleaved */
  private lifecycle: Promise<unknown> = Promise.resolve();
  /** per video key: when its last extraction's ffmpeg has really stopped */
  private readonly extractionStopped = new Map<string, Promise<void>>();
  private readonly handlers: Handlers;

  constructor(private readonly opts: AppServicesOptions) {
    this.layout = dataLayout(opts.dataDir);
    this.log = opts.log ?? ((l) => console.error(l));
    this.jobs = opts.jobs ?? new JobRegistry();
    this.recent = new RecentProjects(this.layout.recentFile, this.log);
    this.jobs.on((s) => this.events.emit('job.updated', s));
    this.handlers = {
      'app.info': () => this.info(),
      'app.recentProjects': () => this.recent.list(),
      'dialog.openVideo': () => this.opts.dialogs?.openVideo() ?? null,
      'dialog.chooseFolder': (a) => this.opts.dialogs?.chooseFolder(a.title) ?? null,
      'project.openVideo': (a) => this.serial(() => this.openVideo(a.path, a.projectDir)),
      'project.open': (a) => this.serial(() => this.openFolder(a.dir)),
      'project.state': () => this.project?.state() ?? null,
      'project.close': () =>
        this.serial(async () => {
          this.closeProject('closed');
          return null;
        }),
      'jobs.list': () => this.jobs.list(),
      'jobs.cancel': (a) => {
        if (!this.jobs.get(a.id)) throw new ApiCallError('JOB_NOT_FOUND', `There is no job ${a.id} (it may have finished long ago).`);
        this.jobs.cancel(a.id);
        return null;
      },
    };
  }

  async call(method: unknown, args: unknown): Promise<ApiResult<unknown>> {
    try {
      const v = validateCall(method, args);
      const handler = this.handlers[v.method] as ((a: unknown) => unknown) | undefined;
      if (!handler) {
        throw new ApiCallError(API_CODES.notAvailable, `${v.method} is not available in this version of Maskline yet.`);
      }
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

  /** On quit: stop every job (extraction kills ffmpeg), then close the database. */
  async shutdown(graceMs = 5000): Promise<void> {
    const r = await this.jobs.shutdown(graceMs);
    if (r.abandoned.length) this.log(`[services] jobs still running at quit: ${r.abandoned.join(', ')}`);
    this.project?.close();
    this.project = null;
  }

  private info(): AppInfo {
    const ffmpeg = resolveTool('ffmpeg');
    const ffprobe = resolveTool('ffprobe');
    const warnings: string[] = [];
    if (!ffmpeg) warnings.push('ffmpeg was not found: videos cannot be opened. Run `npm install` again or install ffmpeg (or set MASKLINE_FFMPEG).');
    if (!ffprobe) warnings.push('ffprobe was not found: videos cannot be opened. Run `npm install` again or install ffmpeg (or set MASKLINE_FFPROBE).');
    return { version: this.opts.version, transport: this.opts.transport, platform: `${process.platform}-${process.arch}`, dataDir: this.layout.root, ffmpeg, ffprobe, warnings };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lifecycle.then(fn, fn);
    this.lifecycle = run.catch(() => undefined);
    return run;
  }

  private async openVideo(path: string, projectDir?: string): Promise<ProjectState> {
    const current = this.project;
    const opened = await openVideoProject(this.layout, path, projectDir, current);
    if (opened === current) return current.state();
    return this.adopt(opened);
  }

  private async openFolder(dir: string): Promise<ProjectState> {
    const current = this.project;
    const opened = await openProjectFolder(this.layout, dir, current);
    if (opened === current) return current.state();
    return this.adopt(opened);
  }

  /** Make `p` the open project (closing the previous one) and start its extraction if needed. */
  private adopt(p: OpenProject): ProjectState {
    this.closeProject('replaced');
    this.project = p;
    if (!p.video.cache.isComplete()) this.extract(p);
    this.recent.add({ dir: p.dir, videoName: p.video.path.split(/[\\/]/).pop() ?? p.video.path, openedAt: new Date().toISOString() } satisfies RecentProject);
    // every window (another browser tab, a renderer that started before an --open finished) follows
    const state = p.state();
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
        this.events.emit('project.changed', p.state());
        return;
      }
      if (o.state === 'failed') this.log(`[services] extraction of ${p.video.path} failed: ${o.error.code} ${o.error.message}`);
      void this.serial(async () => {
        if (this.project === p) this.closeProject(o.state === 'failed' ? 'extraction-failed' : 'extraction-cancelled');
      });
    });
  }

  /**
   * Close the open project. Frames that never completed are removed once ffmpeg has
   * stopped (a later open extracts again anyway), and when the very open that created a
   * project in the default place ends without frames and without objects, the project
   * folder goes too: a failed or cancelled open leaves nothing half-written behind.
   */
  private closeProject(reason: ProjectCloseReason): void {
    const p = this.project;
    if (!p) return;
    this.project = null;
    if (p.extractJobId) this.jobs.cancel(p.extractJobId);
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
