// labels.*: zero-shot CLIP labels in the open project (docs/labels.md): label models (import,
// choose with variant), the project's label set, "Suggest label" for one object, "Label all
// objects" as a job (progress, cancel) and labels for segment-everything proposals. CLIP runs in
// its own worker thread (labels-worker), never on this thread.
import { basename } from 'node:path';
import type { LabelModelsState, LabelModelSummary, LabelSetInfo, LabelSuggestion, ObjectInfo, ProposalLabel } from '../api/contract';
import { ApiCallError, API_CODES } from '../api/errors';
import type { JobRegistry } from '../core/jobs';
import { DEFAULT_TEMPLATE, normalizeLabelSet, pickTrackFrames, readLabelInfo, readLabelSet, writeLabelInfo, writeLabelSet, type ClipVariant, type LabelSet } from '../core/labels';
import { importLabelModel, labelModelsFolder, listLabelModels, readActiveLabelModel, writeActiveLabelModel } from '../core/models';
import { LabelsClient } from '../labels-worker/labels-client';
import type { TrackPicks } from '../labels-worker/protocol';
import type { OpenProject } from './current-project';
import type { Workflow } from './workflow/workflow';

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
  /** what the worker has open: id, variant and the worker generation it was opened in */
  private opened: { id: string; variant: ClipVariant; generation: number; name: string } | null = null;
  private readonly proposalLabels = new Map<number, ProposalLabel[]>();

  constructor(private readonly d: LabelsServiceDeps) {
    this.client = new LabelsClient(d.workerPath);
  }

  private get folder(): string {
    return labelModelsFolder(this.d.dataDir);
  }

  async models(): Promise<LabelModelsState> {
    return { models: listLabelModels(this.folder), active: await readActiveLabelModel(this.folder) };
  }

  async importModel(dir: string): Promise<LabelModelSummary> {
    const handle = this.d.jobs.create('labels-import', `Importing label model · ${basename(dir)}`, (ctx) => importLabelModel(dir, { folder: this.folder, signal: ctx.signal, onProgress: (p) => ctx.report(p.bytes, p.total, 'bytes') }), { unit: 'bytes', result: (v) => ({ id: v.id, dir: v.dir }) });
    const o = await handle.outcome;
    if (o.state === 'cancelled') throw new ApiCallError('CANCELLED', `The import of ${dir} was cancelled.`);
    if (o.state === 'failed') throw new ApiCallError(o.error.code, o.error.message, o.error.details);
    // the first label model becomes the active one
    if (!(await readActiveLabelModel(this.folder))) await writeActiveLabelModel(this.folder, { id: o.value.id, variant: o.value.variants[0]! });
    return o.value;
  }

  async selectModel(id: string, variant: ClipVariant): Promise<LabelModelsState> {
    const m = listLabelModels(this.folder).find((x) => x.id === id);
    if (!m) throw new ApiCallError('LABEL_MODEL_NOT_FOUND', `There is no label model "${id}".`, { id });
    if (m.problem) throw new ApiCallError('LABEL_MODEL_INVALID', `The label model ${id} cannot be used: ${m.problem}`, { id });
    if (!m.variants.includes(variant)) throw new ApiCallError('BAD_ARGS', `The label model ${id} has no ${variant} variant (it has ${m.variants.join(', ')}).`);
    await writeActiveLabelModel(this.folder, { id, variant });
    return this.models();
  }

  getSet(): LabelSetInfo {
    return readLabelSet(this.project().store.settings);
  }

  setSet(labels: string[], templates: string[]): LabelSetInfo {
    try {
      const set = writeLabelSet(this.project().store.settings, labels, templates.length ? templates : [DEFAULT_TEMPLATE]);
      this.proposalLabels.clear();
      return set;
    } catch (e) {
      if ((e as { code?: string }).code === 'BAD_LABELS') throw new ApiCallError('BAD_ARGS', (e as Error).message);
      throw e;
    }
  }

  /** The top 3 labels of one object from its whole track (nothing is written). */
  async suggest(objectId: number, framesPerTrack = DEFAULT_FRAMES_PER_TRACK): Promise<LabelSuggestion> {
    const p = this.project();
    p.store.objects.require(objectId);
    const [r] = await this.labelObjects([objectId], framesPerTrack);
    return { objectId, top: r!.ranked.slice(0, 3), frames: r!.frames };
  }

  /** Labels every object without a label, as a job; each label is an ordinary (undoable) object edit. */
  labelAll(framesPerTrack = DEFAULT_FRAMES_PER_TRACK): { jobId: string } {
    const p = this.project();
    const set = this.requireSet();
    const ids = p.store.objects.list().filter((o) => !o.label.trim()).map((o) => o.id);
    const handle = this.d.jobs.create(
      'labels',
      `Labelling ${ids.length} object${ids.length === 1 ? '' : 's'}`,
      async (ctx) => {
        ctx.report(0, 0, 'crops');
        const results = await this.labelObjects(ids, framesPerTrack, set, ctx.signal, (done, total) => ctx.report(done, total, 'crops'));
        ctx.signal.throwIfAborted();
        const w = this.d.workflow();
        let labelled = 0;
        for (const r of results) {
          if (!r.ranked.length || !w) continue;
          await w.objectsUpdate({ id: r.objectId, label: r.ranked[0]!.label });
          labelled++;
        }
        writeLabelInfo(p.store.settings, Object.fromEntries(results.filter((r) => r.ranked.length).map((r) => [r.objectId, { label: r.ranked[0]!.label, confidence: r.ranked[0]!.probability, top: r.ranked.slice(0, 3), frames: r.frames, model: this.opened?.name ?? '' }])));
        return { labelled, objects: ids.length };
      },
      { unit: 'crops', result: (r) => r },
    );
    return { jobId: handle.id };
  }

  /** Label, confidence and top 3 for every proposal of a frame (the tutorial's crop + classify). */
  async proposals(frame: number): Promise<ProposalLabel[]> {
    const p = this.project();
    const w = this.d.workflow();
    const list = w?.segment.proposals(frame) ?? [];
    if (!list.length) return [];
    const set = this.requireSet();
    await this.ensureModel();
    const ranked = await this.client.request('masks', { framesDir: p.video.cache.dir, frame, set, masks: list.map((x) => x.rle) });
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
    if (!ids.length) throw new ApiCallError('NO_PROPOSALS', `No proposal of frame ${frame} is labelled "${label}" with confidence ≥ ${minConfidence}.`, { frame });
    const made = await w.segment.keep({ frame, proposalIds: ids });
    const out: ObjectInfo[] = [];
    for (const o of made) out.push(await w.objectsUpdate({ id: o.id, label }));
    this.proposalLabels.set(frame, labelled.filter((x) => !ids.includes(x.proposalId)));
    return out;
  }

  /** Frames used and confidence of the last labelling, per object id. */
  labelInfo(): Record<string, { label: string; confidence: number; frames: number[] }> {
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

  private async ensureModel(): Promise<void> {
    const active = await readActiveLabelModel(this.folder);
    if (!active) throw new ApiCallError('NO_LABEL_MODEL', 'No label model is installed: import a CLIP folder on the Models screen.');
    const o = this.opened;
    if (o && o.id === active.id && o.variant === active.variant && o.generation === this.client.generation) return;
    const m = listLabelModels(this.folder).find((x) => x.id === active.id);
    if (!m || m.problem) throw new ApiCallError('LABEL_MODEL_INVALID', `The active label model ${active.id} cannot be used${m?.problem ? `: ${m.problem}` : ' (it is gone)'}.`);
    const info = await this.client.request('open', { dir: m.dir, variant: active.variant });
    this.opened = { id: active.id, variant: active.variant, generation: this.client.generation, name: info.name };
  }

  private async labelObjects(ids: number[], k: number, set = this.requireSet(), signal?: AbortSignal, onProgress?: (done: number, total: number) => void) {
    const p = this.project();
    await this.ensureModel();
    const summaries = new Map(p.store.trackSummaries().map((t) => [t.objectId, t]));
    const tracks: TrackPicks[] = ids.map((objectId) => {
      const t = summaries.get(objectId);
      // scores come from the covering index; only the chosen masks are read
      const chosen = t ? pickTrackFrames(t.frames.map((frame, i) => ({ frame, score: t.scores[i]!, area: 1 })), k) : [];
      const picks = chosen.flatMap((c) => {
        const m = p.store.masks.get(objectId, c.frame);
        return m && m.area > 0 ? [{ frame: c.frame, score: c.score, rle: m.rle }] : [];
      });
      return { objectId, picks };
    });
    try {
      return await this.client.request('tracks', { framesDir: p.video.cache.dir, set, tracks }, { signal, onProgress });
    } catch (e) {
      if ((e as { code?: string }).code === 'CANCELLED') throw new ApiCallError('CANCELLED', 'Labelling was cancelled.');
      throw e;
    }
  }
}
