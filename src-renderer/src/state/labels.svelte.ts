// Zero-shot labels in the window (docs/labels.md): the label model (import a CLIP folder, choose
// it and its variant), the project's label set, "Suggest label" for the selected object, "Label
// all objects" (a job; the job bar shows it, Cancel stops it) and the labels of a frame's
// segment-everything proposals with "keep all <label>". All work is the services'; this holds
// what the panel shows.
import type { JobSnapshot, LabelModelsState, LabelSuggestion, MasklineApi, ProposalLabel } from '$api/contract';
import { Disposers } from '../lib/disposers';
import type { WorkspaceContext } from './context';
import type { ErrorsState } from './errors.svelte';

/** One label per line, blank lines dropped. Pure. */
export function linesOf(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean);
}

export class LabelsState {
  models = $state<LabelModelsState | null>(null);
  labelsText = $state('');
  templatesText = $state('a photo of a {label}.');
  saved = $state<string[]>([]);
  importDir = $state('');
  busy = $state<string | null>(null);
  suggestion = $state<LabelSuggestion | null>(null);
  labelJobId = $state<string | null>(null);
  labelJob = $state<JobSnapshot | null>(null);
  proposalFrame = $state<number | null>(null);
  proposalLabels = $state.raw<ProposalLabel[]>([]);
  filterLabel = $state('');
  minConfidence = $state(0);

  shownProposals = $derived(this.proposalLabels.filter((p) => (!this.filterLabel || p.label === this.filterLabel) && p.confidence >= this.minConfidence));

  #subs = new Disposers();

  constructor(private readonly ctx: Pick<WorkspaceContext, 'api' | 'errors'>) {
    this.#subs.on(ctx.api, 'job.updated', (j) => {
      if (j.id === this.labelJobId) this.labelJob = j;
    });
  }

  private get api(): MasklineApi {
    return this.ctx.api;
  }

  private get errors(): ErrorsState {
    return this.ctx.errors;
  }

  dispose(): void {
    this.#subs.dispose();
  }

  async load(): Promise<void> {
    await this.#run('Label models', async () => {
      this.models = await this.api.call('labels.models', {});
      const set = await this.api.call('labels.getSet', {});
      this.saved = set.labels;
      this.labelsText = set.labels.join('\n');
      this.templatesText = set.templates.join('\n');
    });
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

  async importModel(): Promise<void> {
    await this.#run('Importing the label model', async () => {
      await this.api.call('labels.importModel', { dir: this.importDir.trim() });
      this.models = await this.api.call('labels.models', {});
      this.importDir = '';
    });
  }

  async select(id: string, variant: 'fp32' | 'fp16' | 'quantized'): Promise<void> {
    await this.#run('Choosing the label model', async () => {
      this.models = await this.api.call('labels.selectModel', { id, variant });
    });
  }

  async suggest(objectId: number): Promise<void> {
    await this.#run('Suggesting a label', async () => {
      this.suggestion = await this.api.call('labels.suggest', { objectId });
    });
  }

  async apply(objectId: number, label: string): Promise<void> {
    await this.#run('Applying the label', async () => {
      await this.api.call('objects.update', { id: objectId, label });
      this.suggestion = null;
    });
  }

  async labelAll(): Promise<void> {
    await this.#run('Labelling all objects', async () => {
      const { jobId } = await this.api.call('labels.labelAll', {});
      this.labelJob = null;
      this.labelJobId = jobId;
      // a short job can report (and finish) over the event socket before its id comes back over
      // HTTP: those events were not recognised, so take the job's current snapshot now
      const now = (await this.api.call('jobs.list', {})).find((x) => x.id === jobId);
      if (now && !this.labelJob) this.labelJob = now;
    });
  }

  async cancelLabelAll(): Promise<void> {
    if (this.labelJobId) await this.api.call('jobs.cancel', { id: this.labelJobId }).catch((e) => this.errors.push(e, 'Cancel'));
  }

  async labelProposals(frame: number): Promise<void> {
    await this.#run('Labelling the proposals', async () => {
      this.proposalLabels = await this.api.call('labels.proposals', { frame });
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
