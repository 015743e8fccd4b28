// "Segment everything" on the current frame: the panel's knobs, the run (a services job with
// progress and Cancel), the proposals per frame (segment.proposals events, fetched for frames
// visited while the panel is open), which ones the user keeps (in click order: the objects are
// made in that order, each in the colour the services will give it), the label view, and
// adding the kept ones as objects (segment.keep). Proposals are the services' memory of the
// last run per frame: closing the panel hides them, it does not forget them.
import type { EngineStatus, JobSnapshot, MasklineApi, Proposal, SegmentJobResult } from '$api/contract';
import { FINAL_JOB_STATES } from '$api/follow-job';
import { emptyReason, funnelText, proposeThresholds, runThresholds } from '$shared/amg-funnel';
import { keepRefusal, segmentRefusal, type EditContext } from '../lib/edit-rules';
import { segmentRequest, segmentWork, SEGMENT_DEFAULTS, type SegmentForm } from '../lib/segment-form';
import { describeEstimate, estimateSeconds, measuredSpeed, speedFromRun } from '../lib/segment-estimate';
import { dropKept, futureColors, keepAll, labelViewParts, liveKept, toggleKept } from '../lib/proposal-view';
import { Disposers } from '../lib/disposers';
import { follow, queuedJob } from '../lib/follow-job';
import type { WorkspaceContext } from './context';
import type { ErrorsState } from './errors.svelte';
import type { JobsState } from './jobs.svelte';
import type { MasksState } from './masks.svelte';
import type { ObjectsState } from './objects.svelte';
import type { PlayerState } from './player.svelte';
import type { ProjectSession } from './project.svelte';

export class SegmentState {
  active = $state(false);
  form = $state<SegmentForm>({ ...SEGMENT_DEFAULTS });
  /** the run this window started, with its last snapshot */
  job = $state<JobSnapshot | null>(null);
  labelView = $state(false);
  hoverId = $state<number | null>(null);
  /** where the pointer is over the frame (video pixels) while it hovers a proposal; null when the hover comes from a list */
  hoverAt = $state<[number, number] | null>(null);
  adding = $state(false);
  /** times of this window's last finished run (the estimate's best figure once there is one) */
  lastRun = $state<{ totalMs: number; encoderMs: number; decoderCalls: number } | null>(null);
  starting = $state(false);

  // raw: proposals carry large run-length arrays that must not become deep proxies
  #byFrame = $state.raw<ReadonlyMap<number, Proposal[]>>(new Map());
  #kept = $state.raw<ReadonlyMap<number, number[]>>(new Map());
  #asked = new Set<number>();

  frame = $derived.by(() => this.player.current);
  proposals = $derived(this.proposalsOf(this.frame));
  kept = $derived(liveKept(this.#kept.get(this.frame) ?? [], this.proposals));
  /** kept proposal id → the colour its object will get */
  colors = $derived.by(() =>
    futureColors(
      this.kept,
      this.objects.list.map((o) => o.color),
    ),
  );
  running = $derived(this.job !== null && !FINAL_JOB_STATES.has(this.job.state));
  /** another job holds the engine (or this run is still stopping): Run waits */
  blocked = $derived.by(() => !this.running && this.context().busy !== null);
  request = $derived(segmentRequest(this.frame, this.form));
  work = $derived(segmentWork(this.form));
  estimate = $derived.by(() => {
    const e = this.engine();
    const m = e?.state === 'ready' ? speedFromRun(this.lastRun, measuredSpeed(e.pack?.speed)) : null;
    const seconds = estimateSeconds({ ...this.form, frameEncoded: this.frameReady(this.frame) }, m);
    return describeEstimate(this.work.points, seconds, m?.provider ?? null);
  });
  /** the last finished run of this window, when it was on the frame on screen */
  result = $derived.by(() => {
    const r = this.job?.state === 'done' ? (this.job.result as SegmentJobResult | null) : null;
    return r && r.frame === this.frame && r.stats?.funnel ? r : null;
  });
  /** "1,024 candidates → IoU 0.8 kept 0 → …" */
  funnel = $derived(this.result ? funnelText(this.result.stats.funnel) : null);
  /** why the run proposed nothing (null when it proposed something) */
  emptyWhy = $derived(this.result ? emptyReason(this.result.stats.funnel) : null);
  /** lower thresholds that let the best mask through the filter that removed the last ones */
  lowered = $derived(this.result ? proposeThresholds(this.result.stats.funnel, runThresholds(this.result.stats.funnel)) : null);
  size = $derived.by(() => ({ w: this.project.state?.video.width ?? 0, h: this.project.state?.video.height ?? 0 }));
  /** the label view's visible part of each proposal of the frame on screen */
  parts = $derived.by(() => (this.labelView && this.proposals.length ? labelViewParts(this.proposals, this.size.h, this.size.w) : null));

  #subs = new Disposers();

  constructor(
    private readonly ctx: Pick<
      WorkspaceContext,
      'api' | 'project' | 'jobs' | 'objects' | 'masks' | 'player' | 'errors' | 'editContext' | 'engine' | 'frameReady'
    >,
  ) {
    this.#subs.on(ctx.api, 'segment.proposals', ({ frame, proposals }) => this.#set(frame, proposals));
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
  private get objects(): ObjectsState {
    return this.ctx.objects;
  }
  private get masks(): MasksState {
    return this.ctx.masks;
  }
  private get player(): PlayerState {
    return this.ctx.player;
  }
  private get errors(): ErrorsState {
    return this.ctx.errors;
  }
  private context(): EditContext {
    return this.ctx.editContext();
  }
  private engine(): EngineStatus | null {
    return this.ctx.engine;
  }
  private frameReady(frame: number): boolean {
    return this.ctx.frameReady(frame);
  }

  dispose(): void {
    this.#subs.dispose();
  }

  proposalsOf(frame: number): Proposal[] {
    return this.#byFrame.get(frame) ?? [];
  }

  open(): void {
    this.active = true;
  }

  /** Escape / the panel's close: clicks prompt again; the proposals stay in the services. */
  close(): void {
    this.active = false;
    this.hover(null, null);
  }

  /** The proposal under the pointer (at video pixel `at`), or one hovered in a list (at null). */
  hover(id: number | null, at: [number, number] | null): void {
    if (id !== this.hoverId) this.hoverId = id;
    this.hoverAt = id === null ? null : at;
  }

  toggle(): void {
    if (this.active) this.close();
    else this.open();
  }

  /** Another project: nothing of the old one applies. */
  reset(): void {
    this.#byFrame = new Map();
    this.#kept = new Map();
    this.#asked.clear();
    this.job = null;
    this.hover(null, null);
    this.lastRun = null;
  }

  /** The frame's proposals from the services, once per frame (events keep them current). */
  ensure(frame: number): void {
    if (this.#asked.has(frame) || this.#byFrame.has(frame) || !this.project.state) return;
    this.#asked.add(frame);
    this.api
      .call('segment.proposals', { frame })
      .then((ps) => {
        if (!this.#byFrame.has(frame)) this.#set(frame, ps);
      })
      .catch((err) => this.errors.push(err, `Reading the proposals of frame ${frame}`));
  }

  async run(): Promise<void> {
    const refusal = segmentRefusal(this.context());
    if (refusal) return this.errors.notice(refusal, 'Segment everything');
    const r = this.request;
    if (!r.ok) return this.errors.notice({ code: 'BAD_ARGS', message: r.message }, 'Segment everything');
    if (this.starting) return;
    this.starting = true;
    try {
      const { jobId } = await this.api.call('segment.everything', r.args);
      const label = `Segment everything on frame ${r.args.frame}`;
      this.job = this.jobs.get(jobId) ?? queuedJob(jobId, 'segment', label, 'points');
      const p = this.project.state;
      if (p && !p.busy && this.running) p.busy = { jobId, kind: 'segment' };
      // a short run may be over already: follow() ends at once then
      void follow(this.api, this.#subs, jobId, (j) => {
        if (this.job?.id === j.id) this.job = j;
      }).then((j) => j && this.job?.id === j.id && this.#finish(j));
    } catch (err) {
      this.errors.push(err, `Segment everything on frame ${r.args.frame}`);
    } finally {
      this.starting = false;
    }
  }

  /** "Lower thresholds and run again": the proposed thresholds into the form, then a run with them. */
  async lowerAndRun(): Promise<void> {
    const t = this.lowered;
    if (!t) return;
    this.form.predIouThresh = t.predIouThresh;
    this.form.stabilityScoreThresh = t.stabilityScoreThresh;
    await this.run();
  }

  async cancel(): Promise<void> {
    const j = this.job;
    if (!j) return;
    try {
      await this.api.call('jobs.cancel', { id: j.id });
    } catch (err) {
      this.errors.push(err, 'Cancelling Segment everything');
    }
  }

  // ---- keeping ----

  toggleKeep(id: number): void {
    this.#setKept(this.frame, toggleKept(this.kept, id));
  }

  drop(id: number): void {
    this.#setKept(this.frame, dropKept(this.kept, id));
  }

  keepAll(): void {
    this.#setKept(this.frame, keepAll(this.kept, this.proposals));
  }

  clearKept(): void {
    this.#setKept(this.frame, []);
  }

  /** "Add N objects": the kept proposals become objects with their mask as the prompt on this frame. */
  async addObjects(): Promise<void> {
    const frame = this.frame;
    const ids = this.kept;
    const refusal = keepRefusal(this.context(), ids.length);
    if (refusal) return this.errors.notice(refusal, `Adding objects on frame ${frame}`);
    if (this.adding) return;
    this.adding = true;
    try {
      const made = await this.api.call('segment.keep', { frame, proposalIds: ids });
      const p = this.project.state;
      if (p) for (const o of made) if (!p.objects.some((x) => x.id === o.id)) p.objects.push(o);
      this.#setKept(frame, []);
      if (made[0]) this.objects.select(made[0].id);
      // the answer names the objects; their masks on the frame are the services' to say
      this.masks.put(await this.api.call('masks.frame', { frame }));
    } catch (err) {
      this.errors.push(err, `Adding ${ids.length} object${ids.length === 1 ? '' : 's'} on frame ${frame}`);
    } finally {
      this.adding = false;
    }
  }

  #set(frame: number, proposals: Proposal[]): void {
    const next = new Map(this.#byFrame);
    next.set(frame, proposals);
    this.#byFrame = next;
    if (this.hoverId !== null && frame === this.frame && !proposals.some((p) => p.id === this.hoverId)) this.hover(null, null);
  }

  #setKept(frame: number, ids: number[]): void {
    const next = new Map(this.#kept);
    next.set(frame, ids);
    this.#kept = next;
  }

  #finish(j: JobSnapshot): void {
    // ProjectState.busy is left to the services: a cancelled run is over for the user at once, but
    // the engine is free (and busy clears, with a project.changed) only when the worker has stopped
    const frame = (j.result as { frame?: number } | null)?.frame;
    const stats = (j.result as SegmentJobResult | null)?.stats;
    if (j.state === 'done' && stats) this.lastRun = { totalMs: stats.totalMs, encoderMs: stats.encoderMs, decoderCalls: stats.decoderCalls };
    if (j.state === 'done' && typeof frame === 'number') {
      // the event brought them; asking again costs little and covers a dropped connection
      this.#asked.delete(frame);
      this.api.call('segment.proposals', { frame }).then(
        (ps) => this.#set(frame, ps),
        (err) => this.errors.push(err, `Reading the proposals of frame ${frame}`),
      );
    }
    if (j.state === 'cancelled')
      this.errors.notice({
        code: 'CANCELLED',
        message: `${j.label} was cancelled after ${j.done} of ${j.total} points; the frame keeps the proposals it had.`,
      });
  }
}
