// Zero-shot labels in the window (docs/labels.md): which label model is in use (the Models screen
// imports, chooses and removes them: label-models.svelte.ts), the project's label set and crop
// options, "Suggest label" for the selected object, "Label all objects" (a job; the job bar shows
// it, Cancel stops it), what the last labelling of each object used (labels.info), and the labels
// of a frame's segment-everything proposals with "keep all <label>". All work is the services';
// this holds what the panel shows.
import type { JobSnapshot, LabelCrop, LabelSuggestion, MasklineApi, ObjectLabelRecord, ProposalLabel } from '$api/contract';
import { Disposers } from '../lib/disposers';
import { follow } from '../lib/follow-job';
import type { WorkspaceContext } from './context';
import type { ErrorsState } from './errors.svelte';
import type { LabelModelList } from './label-models.svelte';

/** One label per line, blank lines dropped. Pure. */
export function linesOf(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** The services' defaults (core/labels/crops.ts), shown until the project's arrive. */
const DEFAULT_CROP: LabelCrop = { margin: 0, greyOutside: false, padSquare: true };

export class LabelsState {
  labelsText = $state('');
  templatesText = $state('a photo of a {label}.');
  saved = $state<string[]>([]);
  /** the project's crop options (saved at once when changed) */
  crop = $state<LabelCrop>({ ...DEFAULT_CROP });
  busy = $state<string | null>(null);
  suggestion = $state<LabelSuggestion | null>(null);
  /** per object id: what its last "label all" said and used */
  info = $state.raw<Record<string, ObjectLabelRecord>>({});
  labelJobId = $state<string | null>(null);
  labelJob = $state<JobSnapshot | null>(null);
  proposalFrame = $state<number | null>(null);
  proposalLabels = $state.raw<ProposalLabel[]>([]);
  filterLabel = $state('');
  minConfidence = $state(0);

  shownProposals = $derived(this.proposalLabels.filter((p) => (!this.filterLabel || p.label === this.filterLabel) && p.confidence >= this.minConfidence));

  #subs = new Disposers();

  constructor(
    private readonly ctx: Pick<WorkspaceContext, 'api' | 'errors'>,
    readonly models: LabelModelList,
  ) {}

  private get api(): MasklineApi {
    return this.ctx.api;
  }

  private get errors(): ErrorsState {
    return this.ctx.errors;
  }

  dispose(): void {
    this.#subs.dispose();
  }

  /** the label model and variant labelling uses (the Models screen chooses it) */
  get active(): LabelModelList['active'] {
    return this.models.active;
  }

  /** Another project (or none): the old one's suggestion, proposal labels and records are about its objects. */
  reset(): void {
    this.suggestion = null;
    this.info = {};
    this.proposalFrame = null;
    this.proposalLabels = [];
    this.filterLabel = '';
    this.labelJobId = null;
    this.labelJob = null;
  }

  /** The labels of frame `frame`'s proposals, when they were labelled (else none). */
  labelsOf(frame: number): ProposalLabel[] {
    return this.proposalFrame === frame ? this.proposalLabels : [];
  }

  async load(): Promise<void> {
    await this.#run('Label models', async () => {
      await this.models.refresh();
      const set = await this.api.call('labels.getSet', {});
      this.saved = set.labels;
      this.labelsText = set.labels.join('\n');
      this.templatesText = set.templates.join('\n');
      this.crop = set.crop;
      this.info = await this.api.call('labels.info', {});
    });
  }

  async loadInfo(): Promise<void> {
    try {
      this.info = await this.api.call('labels.info', {});
    } catch (err) {
      this.errors.push(err, 'Reading the labels');
    }
  }

  async saveSet(): Promise<void> {
    await this.#run('Saving the label set', async () => {
      const set = await this.api.call('labels.setSet', { labels: linesOf(this.labelsText), templates: linesOf(this.templatesText) });
      this.saved = set.labels;
      this.labelsText = set.labels.join('\n');
      this.templatesText = set.templates.join('\n');
      this.proposalLabels = [];
    });
  }

  /** Change crop options: saved in the project at once (with its label set); earlier proposal labels no longer apply. */
  async setCrop(change: Partial<LabelCrop>): Promise<void> {
    await this.#run('Saving the crop options', async () => {
      this.crop = (await this.api.call('labels.setCrop', { crop: change })).crop;
      this.proposalLabels = [];
    });
  }

  async suggest(objectId: number): Promise<void> {
    await this.#run('Suggesting a label', async () => {
      this.suggestion = await this.api.call('labels.suggest', { objectId, crop: this.crop });
    });
  }

  /** Apply one of the suggestions; the suggestion (and the frames it used) stays on show. */
  async apply(objectId: number, label: string): Promise<void> {
    await this.#run('Applying the label', async () => {
      await this.api.call('objects.update', { id: objectId, label });
    });
  }

  async labelAll(): Promise<void> {
    await this.#run('Labelling all objects', async () => {
      const { jobId } = await this.api.call('labels.labelAll', { crop: this.crop });
      this.labelJob = null;
      this.labelJobId = jobId;
      // a short job can report (and finish) over the event socket before its id comes back over
      // HTTP: follow() takes the job's current snapshot too
      void follow(this.api, this.#subs, jobId, (j) => {
        if (this.labelJobId === j.id) this.labelJob = j;
      }).then((j) => {
        if (j?.state === 'done' && this.labelJobId === j.id) void this.loadInfo();
      });
    });
  }

  async cancelLabelAll(): Promise<void> {
    if (this.labelJobId) await this.api.call('jobs.cancel', { id: this.labelJobId }).catch((e) => this.errors.push(e, 'Cancel'));
  }

  async labelProposals(frame: number): Promise<void> {
    await this.#run('Labelling the proposals', async () => {
      this.proposalLabels = await this.api.call('labels.proposals', { frame, crop: this.crop });
      this.proposalFrame = frame;
    });
  }

  async keepLabel(frame: number, label: string): Promise<void> {
    await this.#run(`Keeping all ${label}`, async () => {
      await this.api.call('labels.keepLabel', { frame, label, minConfidence: this.minConfidence });
      this.proposalLabels = this.proposalLabels.filter((p) => !(p.label === label && p.confidence >= this.minConfidence));
    });
  }

  async #run(context: string, fn: () => Promise<void>): Promise<void> {
    this.busy = context;
    try {
      await fn();
    } catch (err) {
      this.errors.push(err, context);
    } finally {
      this.busy = null;
    }
  }
}
