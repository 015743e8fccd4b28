// Propagation runs: forward / backward / both from the current frame (limited to the in/out
// markers when set), and "re-propagate from here". The run is a job: its snapshots give
// progress, frames/s and ETA; cancelling keeps the frames already done (the services
// commit each frame as it streams). Masks stream into MasksState/TracksState meanwhile.
import type { Direction, JobSnapshot, MasklineApi } from '$api/contract';
import { planPropagation, type Markers } from '../lib/markers';
import { propagateRefusal, type EditContext } from '../lib/edit-rules';
import { Disposers } from '../lib/disposers';
import { follow, queuedJob } from '../lib/follow-job';
import type { WorkspaceContext } from './context';
import type { ErrorsState } from './errors.svelte';
import type { JobsState } from './jobs.svelte';
import type { ProjectSession } from './project.svelte';

export class PropagationState {
  /** the run this window started (or adopted from ProjectState.busy), with its last snapshot */
  job = $state<JobSnapshot | null>(null);
  label = $state('');
  starting = $state(false);
  /** follow: the canvas shows each frame as it is tracked; off ("stay"): the playhead stays put */
  follow = $state(true);

  running = $derived(this.job !== null && (this.job.state === 'queued' || this.job.state === 'running'));

  #subs = new Disposers();
  /** the job follow() was last called for */
  #followed: string | null = null;

  constructor(
    private readonly ctx: Pick<WorkspaceContext, 'api' | 'project' | 'jobs' | 'errors' | 'editContext'>,
    private readonly hooks: {
      /** the run ended (done, failed or cancelled) */
      onFinished: (job: JobSnapshot) => void;
    },
  ) {
    // a run another window started is shown here too (adopted); segment everything has its own panel
    this.#subs.on(ctx.api, 'job.updated', (j) => this.#adopt(j));
  }

  private get api(): MasklineApi {
    return this.ctx.api;
  }

  private get project(): ProjectSession {
    return this.ctx.project;
  }

  private get jobs(): JobsState {
    return this.ctx.jobs;
  }

  private get errors(): ErrorsState {
    return this.ctx.errors;
  }

  private context(): EditContext {
    return this.ctx.editContext();
  }

  dispose(): void {
    this.#subs.dispose();
  }

  start(frame: number, direction: Direction, markers: Markers): Promise<void> {
    const p = this.project.state;
    const refusal = propagateRefusal(this.context(), p?.prompts.length ?? 0);
    if (refusal) {
      this.errors.notice(refusal, 'Propagate');
      return Promise.resolve();
    }
    const plan = planPropagation(frame, direction, markers, p?.video.frames ?? 0);
    if (!plan.ok) {
      this.errors.notice({ code: 'BAD_RANGE', message: plan.message }, 'Propagate');
      return Promise.resolve();
    }
    return this.#run(`Propagating ${plan.label}`, () => this.api.call('track.propagate', plan.args));
  }

  /** Recompute the frames after `frame` up to each object's next prompted frame. */
  repropagate(frame: number): Promise<void> {
    const refusal = propagateRefusal(this.context(), this.project.state?.prompts.length ?? 0);
    if (refusal) {
      this.errors.notice(refusal, 'Re-propagate');
      return Promise.resolve();
    }
    return this.#run(`Re-propagating from frame ${frame}`, () => this.api.call('track.repropagateFrom', { frame }));
  }

  async cancel(): Promise<void> {
    const j = this.job;
    if (!j) return;
    try {
      await this.api.call('jobs.cancel', { id: j.id });
    } catch (err) {
      this.errors.push(err, 'Cancelling the propagation');
    }
  }

  async #run(label: string, call: () => Promise<{ jobId: string }>): Promise<void> {
    if (this.starting) return;
    this.starting = true;
    try {
      const { jobId } = await call();
      this.label = label;
      // its snapshots may have been adopted already (they can arrive before the answer)
      if (this.job?.id !== jobId) this.job = this.jobs.get(jobId) ?? queuedJob(jobId, 'propagate', label, 'frames');
      const p = this.project.state;
      if (p && !p.busy && this.running) p.busy = { jobId, kind: this.job.kind };
      this.#follow(jobId);
    } catch (err) {
      this.errors.push(err, label);
    } finally {
      this.starting = false;
    }
  }

  #adopt(j: JobSnapshot): void {
    if (this.job?.id === j.id || this.project.state?.busy?.jobId !== j.id) return;
    if (j.kind !== 'propagate' && j.kind !== 'repropagate') return;
    this.job = j;
    this.label = j.label;
    this.#follow(j.id);
  }

  /** Follows the shown run once (started here or adopted) to its end; a run shown no longer is not finished here. */
  #follow(jobId: string): void {
    if (this.#followed === jobId) return;
    this.#followed = jobId;
    void follow(this.api, this.#subs, jobId, (j) => {
      if (this.job?.id === j.id) this.job = j;
    }).then((j) => j && this.job?.id === j.id && this.#finish(j));
  }

  #finish(j: JobSnapshot): void {
    const p = this.project.state;
    if (p?.busy?.jobId === j.id) p.busy = null;
    this.hooks.onFinished(j);
  }
}
