// The open project as the services describe it, and the act of opening one. Every new state
// (an open's answer, an event, an undo, a relocation) comes in through adopt(), which tells the
// workspace what it replaced: the workspace decides what that transition resets.
import type { MasklineApi, ProjectState } from '$api/contract';
import { Disposers } from '../lib/disposers';
import type { WorkspaceContext } from './context';
import type { ErrorsState } from './errors.svelte';
import type { JobsState } from './jobs.svelte';

export class ProjectSession {
  #state = $state<ProjectState | null>(null);
  /** the path being opened, while the call runs */
  opening = $state<string | null>(null);

  /** frames readable now: the extraction job's progress while it runs, all of them after */
  framesReady = $derived.by(() => {
    const p = this.state;
    if (!p) return 0;
    if (p.video.extracted) return p.video.frames;
    const job = this.jobs.get(p.extractJobId);
    return Math.min(p.video.frames, Math.max(p.framesReady, job?.state === 'running' || job?.state === 'done' ? job.done : 0));
  });

  #subs = new Disposers();

  constructor(
    private readonly ctx: Pick<WorkspaceContext, 'api' | 'jobs' | 'errors'>,
    private readonly hooks: {
      /** a new state replaced `from` (the same object's fields may change without this) */
      onAdopt: (from: ProjectState | null, to: ProjectState | null) => void;
    },
  ) {
    const { api, errors } = ctx;
    this.#subs.on(api, 'project.changed', (p) => this.adopt(p));
    this.#subs.on(api, 'project.closed', ({ dir }) => {
      if (this.state?.dir === dir) this.adopt(null);
    });
    api
      .call('project.state', {})
      .then((p) => {
        if (p && !this.state) this.adopt(p);
      })
      .catch((err) => errors.push(err, 'Reading the open project'));
  }

  private get api(): MasklineApi {
    return this.ctx.api;
  }

  private get jobs(): JobsState {
    return this.ctx.jobs;
  }

  private get errors(): ErrorsState {
    return this.ctx.errors;
  }

  /** The open project (its fields are edited in place by the states that change them). */
  get state(): ProjectState | null {
    return this.#state;
  }

  /** The one way a new project state (or none) arrives; ignored once disposed (a late answer). */
  adopt(next: ProjectState | null): void {
    if (this.#subs.disposed) return;
    const from = this.#state;
    this.#state = next;
    this.hooks.onAdopt(from, next);
  }

  dispose(): void {
    this.#subs.dispose();
  }

  openVideo(path: string): Promise<boolean> {
    const trimmed = path.trim();
    return trimmed ? this.#open(trimmed, () => this.api.call('project.openVideo', { path: trimmed })) : Promise.resolve(false);
  }

  /** A project folder, e.g. from the recent list. */
  openFolder(dir: string): Promise<boolean> {
    return this.#open(dir, () => this.api.call('project.open', { dir }));
  }

  async #open(what: string, call: () => Promise<ProjectState>): Promise<boolean> {
    this.opening = what;
    // a new attempt replaces the errors of earlier ones: one error per failed open
    this.errors.clearErrors();
    try {
      const opened = await call();
      this.adopt(opened);
      for (const w of opened.warnings) this.errors.warn(w);
      return true;
    } catch (err) {
      this.errors.push(err, `Opening ${what}`);
      return false;
    } finally {
      this.opening = null;
    }
  }

  /** The video moved: point the project at its new path (the services check it is the same video). */
  async relocateVideo(path: string): Promise<boolean> {
    const p = path.trim();
    if (!p) return false;
    try {
      this.adopt(await this.api.call('project.relocateVideo', { path: p }));
      return true;
    } catch (err) {
      this.errors.push(err, `Locating the video at ${p}`);
      return false;
    }
  }

  async close(): Promise<void> {
    try {
      await this.api.call('project.close', {});
      this.adopt(null);
    } catch (err) {
      this.errors.push(err, 'Closing the project');
    }
  }
}
