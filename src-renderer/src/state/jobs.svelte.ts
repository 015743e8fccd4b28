// Long-running jobs as the job.updated events describe them. Finished jobs linger briefly
// so the bar can show "done" before it disappears; failures become errors.
import type { JobSnapshot, MasklineApi } from '$api/contract';
import { ApiCallError } from '$api/errors';
import { Disposers } from '../lib/disposers';
import type { WorkspaceContext } from './context';
import type { ErrorsState } from './errors.svelte';

const LINGER_MS = 1200;

export class JobsState {
  byId = $state<Record<string, JobSnapshot>>({});
  visible = $derived(Object.values(this.byId).filter((j) => j.state === 'queued' || j.state === 'running' || j.state === 'done'));

  #subs = new Disposers();

  constructor(private readonly ctx: Pick<WorkspaceContext, 'api' | 'errors'>) {
    const { api, errors } = ctx;
    this.#subs.on(api, 'job.updated', (s) => this.update(s));
    api
      .call('jobs.list', {})
      // jobs that ended before this window opened are history, not news
      .then((list) => list.filter((s) => s.state === 'queued' || s.state === 'running').forEach((s) => this.update(s)))
      .catch((err) => errors.push(err, 'Listing jobs'));
  }

  private get api(): MasklineApi {
    return this.ctx.api;
  }

  private get errors(): ErrorsState {
    return this.ctx.errors;
  }

  /** Stops listening; the linger timers of finished jobs go too. */
  dispose(): void {
    this.#subs.dispose();
  }

  get(id: string | null | undefined): JobSnapshot | undefined {
    return id ? this.byId[id] : undefined;
  }

  update(s: JobSnapshot): void {
    const before = this.byId[s.id];
    this.byId[s.id] = s;
    if (s.state === 'failed' && before?.state !== 'failed') {
      // the failure's own code (DISK_FULL, …) when the job had one
      this.errors.push(new ApiCallError(s.errorCode ?? 'JOB_FAILED', s.error ?? 'failed'), `${s.label} failed`);
    }
    if (s.state === 'done' || s.state === 'failed' || s.state === 'cancelled') {
      this.#subs.timeout(() => {
        if (this.byId[s.id]?.state === s.state) delete this.byId[s.id];
      }, LINGER_MS);
    }
  }

  async cancel(id: string): Promise<void> {
    try {
      await this.api.call('jobs.cancel', { id });
    } catch (err) {
      this.errors.push(err, 'Cancelling a job');
    }
  }
}
