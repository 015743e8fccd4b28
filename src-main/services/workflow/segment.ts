// Segment everything in the open project (docs/amg.md, "In the app"): segment.everything runs the
// engine's automatic mask generator on one frame as a job (kind 'segment', unit 'points'; the
// project is busy meanwhile, like during a propagation, and the job can be cancelled);
// segment.proposals reads a frame's proposals; segment.keep turns some of them into objects.
//
// Decision: proposals live in memory only, the last finished run per frame. They are a moment's
// suggestions, not annotation: recomputing is a click away, and nothing in the database has to
// migrate or be undone for them. A cancelled or failed run leaves the frame's earlier list alone.
import type { MethodArgs, ObjectInfo, Proposal, SegmentEverythingRequest, SegmentJobResult } from '../../api/contract';
import { ApiCallError } from '../../api/errors';
import type { JobContext, JobFn, JobOptions } from '../../core/jobs';
import { AMG_DEFAULTS, resolveAmgOptions } from '../../core/sam2/amg/options';
import { toProposals } from '../../core/sam2/amg/proposals';
import type { ProjectStore } from '../../core/store';
import type { EventBus } from '../events';
import type { WorkflowOp } from './busy-rules';
import type { SyncContext } from './engine-sync';
import { keepProposals, type KeepHost } from './segment-keep';
import { pickProposals, segmentJobLabel, withoutProposals } from './segment-rules';

export interface SegmentHost extends KeepHost {
  readonly events: EventBus;
  readonly store: ProjectStore;
  guard(op: WorkflowOp): void;
  checkFrame(frame: number): void;
  serial<T>(fn: () => Promise<T>): Promise<T>;
  withEngine<T>(fn: (ctx: SyncContext) => Promise<T>): Promise<T>;
  startJob<T>(kind: string, label: string, fn: JobFn<T>, opts: JobOptions<T>): { jobId: string };
}

export class SegmentService {
  private readonly byFrame = new Map<number, Proposal[]>();

  constructor(
    private readonly host: SegmentHost,
    private readonly changed: () => void,
  ) {}

  everything(a: SegmentEverythingRequest): { jobId: string } {
    this.host.guard('segment');
    this.host.checkFrame(a.frame);
    const { frame, ...options } = a;
    try {
      // refused now, with the option's name, rather than as a failed job a moment later
      resolveAmgOptions(options);
    } catch (err) {
      if ((err as { code?: string }).code !== 'BAD_ARGUMENT') throw err;
      throw new ApiCallError('BAD_ARGS', `args.${(err as Error).message}`);
    }
    const label = segmentJobLabel(a, AMG_DEFAULTS.pointsPerSide);
    return this.host.startJob('segment', label, (job) => this.run(job, frame, options), { unit: 'points', result: (r) => r });
  }

  proposals(frame: number): Proposal[] {
    this.host.checkFrame(frame);
    return this.byFrame.get(frame) ?? [];
  }

  keep(a: MethodArgs<'segment.keep'>): Promise<ObjectInfo[]> {
    this.host.guard('segment');
    this.host.checkFrame(a.frame);
    return this.host.serial(async () => {
      this.host.guard('segment');
      // with the engine held, no run can replace the frame's list between the check and the keep
      const objects = await this.host.withEngine(async (ctx) => {
        const list = this.byFrame.get(a.frame) ?? [];
        const made = await keepProposals(this.host, ctx, a.frame, pickProposals(list, a.proposalIds, a.frame));
        this.publish(a.frame, withoutProposals(list, a.proposalIds));
        return made;
      });
      this.changed();
      return objects;
    });
  }

  private run(job: JobContext, frame: number, options: Omit<SegmentEverythingRequest, 'frame'>): Promise<SegmentJobResult> {
    return this.host.withEngine(async (ctx) => {
      job.report(0, 0, 'points');
      const r = await ctx.client.segmentEverything(frame, options, { signal: job.signal, onProgress: (p) => job.report(p.done, p.total) });
      // a run cancelled just as it finished is still cancelled: its proposals are not shown
      job.signal.throwIfAborted();
      const proposals = toProposals(r.masks);
      this.publish(frame, proposals);
      return { frame, proposals: proposals.length, stats: r.stats };
    });
  }

  private publish(frame: number, proposals: Proposal[]): void {
    this.byFrame.set(frame, proposals);
    this.host.events.emit('segment.proposals', { frame, proposals });
  }
}
