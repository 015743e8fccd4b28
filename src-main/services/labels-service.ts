// labels.*: zero-shot CLIP labels in the open project (docs/labels.md): label models (import,
// choose with variant, remove: label-model-service.ts), the project's label set and crop options,
// "Suggest label" for one object, "Label all objects" as a job (progress, cancel) and labels for
// segment-everything proposals. CLIP runs in its own worker thread (labels-worker), never on
// this thread.
import type {
  LabelCrop,
  LabelModelsState,
  LabelModelSummary,
  LabelModelVariant,
  LabelSetInfo,
  LabelSuggestion,
  ObjectInfo,
  ObjectLabelRecord,
  ProposalLabel,
} from '../api/contract';
import { ApiCallError, API_CODES } from '../api/errors';
import type { JobRegistry } from '../core/jobs';
import {
  DEFAULT_TEMPLATE,
  normalizeLabelSet,
  pickTrackFrames,
  readLabelCrop,
  readLabelInfo,
  readLabelSet,
  resolveCropOptions,
  writeLabelCrop,
  writeLabelInfo,
  writeLabelSet,
  type ClipVariant,
  type LabelSet,
} from '../core/labels';
import { LabelsClient } from '../labels-worker/labels-client';
import type { TrackPicks } from '../labels-worker/protocol';
import type { OpenProject } from './current-project';
import type { Workflow } from './workflow/workflow';
import { LabelModelService } from './label-model-service';

export const DEFAULT_FRAMES_PER_TRACK = 5;

/** Which labelled proposals "keep all <label>" takes, in list order (largest first). Pure. */
export function keepByLabel(labelled: readonly ProposalLabel[], label: string, minConfidence: number): number[] {
  return labelled.filter((x) => x.label === label && x.confidence >= minConfidence).map((x) => x.proposalId);
}

export interface LabelsServiceDeps {
  jobs: JobRegistry;
  dataDir: string;
  project(): OpenProject | null;
  workflow(): Workflow | null;
  workerPath?: string;
}

export class LabelsService {
  private readonly client: LabelsClient;
  private readonly labelModels: LabelModelService;
  /** what the worker has open: id, variant and the worker generation it was opened in */
  private opened: { id: string; variant: ClipVariant; generation: number; name: string } | null = null;
  private readonly proposalLabels = new Map<number, ProposalLabel[]>();

  constructor(private readonly d: LabelsServiceDeps) {
    this.client = new LabelsClient(d.workerPath);
    this.labelModels = new LabelModelService({ jobs: d.jobs, dataDir: d.dataDir, project: d.project, release: (id) => this.release(id) });
  }

  models(): Promise<LabelModelsState> {
    return this.labelModels.state();
  }

  importModel(dir: string): Promise<LabelModelSummary> {
    return this.labelModels.import(dir);
  }

  selectModel(id: string, variant: LabelModelVariant): Promise<LabelModelsState> {
    return this.labelModels.select(id, variant);
  }

  removeModel(id: string): Promise<LabelModelsState> {
    return this.labelModels.remove(id);
  }

  getSet(): LabelSetInfo {
    const settings = this.project().store.settings;
    return { ...readLabelSet(settings), crop: readLabelCrop(settings) };
  }

  setSet(labels: string[], templates: string[]): LabelSetInfo {
    try {
      const settings = this.project().store.settings;
      const set = writeLabelSet(settings, labels, templates.length ? templates : [DEFAULT_TEMPLATE]);
      this.proposalLabels.clear();
      return { ...set, crop: readLabelCrop(settings) };
    } catch (e) {
      if ((e as { code?: string }).code === 'BAD_LABELS') throw new ApiCallError('BAD_ARGS', (e as Error).message);
      throw e;
    }
  }

  /** The project's crop options (kept with its label set); omitted options keep their value. */
  setCrop(crop: Partial<LabelCrop>): LabelSetInfo {
    const settings = this.project().store.settings;
    writeLabelCrop(settings, { ...readLabelCrop(settings), ...crop });
    this.proposalLabels.clear();
    return this.getSet();
  }

  /** The top 3 labels of one object from its whole track (nothing is written). */
  async suggest(objectId: number, framesPerTrack = DEFAULT_FRAMES_PER_TRACK, cropArg?: Partial<LabelCrop>): Promise<LabelSuggestion> {
    const p = this.project();
    p.store.objects.require(objectId);
    const crop = this.cropFor(cropArg);
    const [r] = await this.labelObjects([objectId], framesPerTrack, crop);
    return { objectId, top: r!.ranked.slice(0, 3), frames: r!.frames, crop };
  }

  /** Labels every object without a label, as a job; each label is an ordinary (undoable) object edit. */
  labelAll(framesPerTrack = DEFAULT_FRAMES_PER_TRACK, cropArg?: Partial<LabelCrop>): { jobId: string } {
    const p = this.project();
    const set = this.requireSet();
    const crop = this.cropFor(cropArg);
    const ids = p.store.objects
      .list()
      .filter((o) => !o.label.trim())
      .map((o) => o.id);
    const handle = this.d.jobs.create(
      'labels',
      `Labelling ${ids.length} object${ids.length === 1 ? '' : 's'}`,
      async (ctx) => {
        ctx.report(0, 0, 'crops');
        const results = await this.labelObjects(ids, framesPerTrack, crop, set, ctx.signal, (done, total) => ctx.report(done, total, 'crops'));
        ctx.signal.throwIfAborted();
        const w = this.d.workflow();
        let labelled = 0;
        for (const r of results) {
          if (!r.ranked.length || !w) continue;
          await w.objectsUpdate({ id: r.objectId, label: r.ranked[0]!.label });
          labelled++;
        }
        writeLabelInfo(
          p.store.settings,
          Object.fromEntries(
            results
              .filter((r) => r.ranked.length)
              .map((r) => [
                r.objectId,
                {
                  label: r.ranked[0]!.label,
                  confidence: r.ranked[0]!.probability,
                  top: r.ranked.slice(0, 3),
                  frames: r.frames,
                  model: this.opened?.name ?? '',
                  crop,
                },
              ]),
          ),
        );
        return { labelled, objects: ids.length, crop };
      },
      { unit: 'crops', result: (r) => r },
    );
    return { jobId: handle.id };
  }

  /** Label, confidence and top 3 for every proposal of a frame (the tutorial's crop + classify). */
  async proposals(frame: number, cropArg?: Partial<LabelCrop>): Promise<ProposalLabel[]> {
    const p = this.project();
    const w = this.d.workflow();
    const list = w?.segment.proposals(frame) ?? [];
    if (!list.length) return [];
    const set = this.requireSet();
    const crop = this.cropFor(cropArg);
    await this.ensureModel();
    const ranked = await this.client.request('masks', { framesDir: p.video.cache.dir, frame, set, masks: list.map((x) => x.rle), crop });
    const out = list.flatMap((x, i) => {
      const r = ranked[i];
      return r ? [{ proposalId: x.id, label: r[0]!.label, confidence: r[0]!.probability, top: r.slice(0, 3) }] : [];
    });
    this.proposalLabels.set(frame, out);
    return out;
  }

  /**
   * "Keep all <label>": the frame's proposals labelled `label` with at least `minConfidence`
   * become objects (segment.keep) carrying that label. Uses the frame's last labels.proposals.
   */
  async keepLabel(frame: number, label: string, minConfidence: number): Promise<ObjectInfo[]> {
    const w = this.d.workflow();
    if (!w) throw new ApiCallError(API_CODES.noProject, 'Open a video first.');
    const labelled = this.proposalLabels.get(frame);
    if (!labelled) throw new ApiCallError('NO_PROPOSAL_LABELS', `The proposals of frame ${frame} have no labels yet: label them first.`, { frame });
    const live = new Set(w.segment.proposals(frame).map((x) => x.id));
    const ids = keepByLabel(labelled, label, minConfidence).filter((id) => live.has(id));
    if (!ids.length)
      throw new ApiCallError('NO_PROPOSALS', `No proposal of frame ${frame} is labelled "${label}" with confidence ≥ ${minConfidence}.`, { frame });
    const made = await w.segment.keep({ frame, proposalIds: ids });
    const out: ObjectInfo[] = [];
    for (const o of made) out.push(await w.objectsUpdate({ id: o.id, label }));
    this.proposalLabels.set(
      frame,
      labelled.filter((x) => !ids.includes(x.proposalId)),
    );
    return out;
  }

  /** Frames used and confidence of the last labelling, per object id. */
  labelInfo(): Record<string, ObjectLabelRecord> {
    return readLabelInfo(this.project().store.settings);
  }

  async shutdown(): Promise<void> {
    await this.client.close();
  }

  private project(): OpenProject {
    const p = this.d.project();
    if (!p) throw new ApiCallError(API_CODES.noProject, 'Open a video first.');
    return p;
  }

  private requireSet(): LabelSet {
    const s = readLabelSet(this.project().store.settings);
    if (!s.labels.length) throw new ApiCallError('NO_LABEL_SET', 'The project has no labels yet: add some in the Labels panel.');
    return normalizeLabelSet(s.labels, s.templates);
  }

  /** The crop options of a request: the project's, with the request's own over them (BAD_ARGS when out of range). */
  private cropFor(arg?: Partial<LabelCrop>): LabelCrop {
    const saved = readLabelCrop(this.project().store.settings);
    try {
      return resolveCropOptions({ ...saved, ...arg });
    } catch (e) {
      throw new ApiCallError('BAD_ARGS', (e as Error).message);
    }
  }

  /** The labels worker lets go of model `id` (before its folder is removed); refused while "Label all" uses it. */
  private async release(id: string): Promise<void> {
    if (this.opened?.id !== id) return;
    const running = this.d.jobs.list().find((j) => j.kind === 'labels' && (j.state === 'running' || j.state === 'queued'));
    if (running)
      throw new ApiCallError('BUSY', `${running.label} is running with the label model ${id} — wait or cancel it before removing the model.`, {
        jobId: running.id,
        kind: running.kind,
      });
    this.opened = null;
    await this.client.close();
  }

  private async ensureModel(): Promise<void> {
    const models = this.labelModels.list();
    const active = await this.labelModels.choose(models);
    if (!active)
      throw new ApiCallError(
        'NO_LABEL_MODEL',
        models.length
          ? `No label model can be used: ${models.map((m) => `${m.id}: ${m.problem}`).join('; ')}`
          : 'No label model is installed: import a CLIP folder on the Models screen (Label models).',
      );
    const o = this.opened;
    if (o && o.id === active.id && o.variant === active.variant && o.generation === this.client.generation) return;
    const m = models.find((x) => x.id === active.id)!;
    const info = await this.client.request('open', { dir: m.dir, variant: active.variant });
    this.opened = { id: active.id, variant: active.variant, generation: this.client.generation, name: info.name };
  }

  private async labelObjects(
    ids: number[],
    k: number,
    crop: LabelCrop,
    set = this.requireSet(),
    signal?: AbortSignal,
    onProgress?: (done: number, total: number) => void,
  ) {
    const p = this.project();
    await this.ensureModel();
    const summaries = new Map(p.store.trackSummaries().map((t) => [t.objectId, t]));
    const tracks: TrackPicks[] = ids.map((objectId) => {
      const t = summaries.get(objectId);
      // scores come from the covering index; only the chosen masks are read
      const chosen = t
        ? pickTrackFrames(
            t.frames.map((frame, i) => ({ frame, score: t.scores[i]!, area: 1 })),
            k,
          )
        : [];
      const picks = chosen.flatMap((c) => {
        const m = p.store.masks.get(objectId, c.frame);
        return m && m.area > 0 ? [{ frame: c.frame, score: c.score, rle: m.rle }] : [];
      });
      return { objectId, picks };
    });
    try {
      return await this.client.request('tracks', { framesDir: p.video.cache.dir, set, tracks, crop }, { signal, onProgress });
    } catch (e) {
      if ((e as { code?: string }).code === 'CANCELLED') throw new ApiCallError('CANCELLED', 'Labelling was cancelled.');
      throw e;
    }
  }
}
