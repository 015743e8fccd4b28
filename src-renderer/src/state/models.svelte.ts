// Model packs and the engine: which packs are installed (and whether they verify), what
// the catalog offers, which pack the engine uses with which provider and how long it took
// to load. Downloads and imports run here; their errors are kept verbatim for the screen.
import type { ApiError, CatalogEntrySummary, EngineStatus, JobSnapshot, MasklineApi, ModelPackInfo, ProviderChoice } from '$api/contract';
import { ApiCallError } from '$api/errors';
import { Disposers } from '../lib/disposers';
import { follow } from '../lib/follow-job';
import type { WorkspaceContext } from './context';
import type { ErrorsState } from './errors.svelte';
import type { ProjectSession } from './project.svelte';

const asError = (err: unknown): ApiError => ({
  code: err instanceof ApiCallError ? err.code : 'INTERNAL',
  message: err instanceof Error ? err.message : String(err),
});

export class ModelsState {
  packs = $state<ModelPackInfo[]>([]);
  catalog = $state<CatalogEntrySummary[]>([]);
  /** the engine as last reported (engine.changed, the project state, models.select) */
  status = $state<EngineStatus | null>(null);
  loaded = $state(false);
  screenOpen = $state(false);
  /** the section the screen opens at: the label models when asked from the Labels panel */
  screenSection = $state<'packs' | 'labels'>('packs');
  /** per catalog id: the download job running or last run */
  downloads = $state<Record<string, JobSnapshot>>({});
  importing = $state(false);
  importError = $state<ApiError | null>(null);
  listError = $state<ApiError | null>(null);
  selecting = $state<string | null>(null);
  /** the provider setting being applied (the engine reopens) */
  settingProvider = $state<ProviderChoice | null>(null);
  /** a pack of another family was asked for while the project holds work: what switching means, to confirm */
  familySwitch = $state<{ id: string; text: string; yes: string } | null>(null);

  usable = $derived(this.packs.filter((p) => p.verified && !p.problem));
  /** nothing to run prompts with: the first-run panel explains how to get a pack */
  noPack = $derived(this.status?.state === 'none' || (this.loaded && this.usable.length === 0 && this.status?.state !== 'ready'));

  #subs = new Disposers();

  constructor(private readonly ctx: Pick<WorkspaceContext, 'api' | 'project' | 'errors'>) {
    const { api } = ctx;
    this.#subs.on(api, 'engine.changed', (s) => (this.status = s));
    this.#subs.on(api, 'project.changed', (p) => {
      if (p.engine) this.status = p.engine;
    });
    void this.refresh();
  }

  private get api(): MasklineApi {
    return this.ctx.api;
  }

  private get project(): ProjectSession {
    return this.ctx.project;
  }

  private get errors(): ErrorsState {
    return this.ctx.errors;
  }

  dispose(): void {
    this.#subs.dispose();
  }

  /** Opens the Models screen at a section. */
  openScreen(section: 'packs' | 'labels' = 'packs'): void {
    this.screenSection = section;
    this.screenOpen = true;
  }

  /** The project's engine status when it arrives with an open (the event may have come first). */
  adoptProjectEngine(): void {
    const e = this.project.state?.engine;
    if (e) this.status = e;
  }

  async refresh(): Promise<void> {
    try {
      const [packs, catalog] = await Promise.all([this.api.call('models.list', {}), this.api.call('models.catalog', {})]);
      this.packs = packs;
      this.catalog = catalog;
      this.listError = null;
    } catch (err) {
      this.listError = asError(err);
    } finally {
      this.loaded = true;
    }
  }

  async select(id: string, confirmFamilySwitch = false): Promise<void> {
    this.selecting = id;
    try {
      this.status = await this.api.call('models.select', { id, confirmFamilySwitch });
      // a first use timed the pack: the list shows its speed
      void this.refresh();
    } catch (err) {
      if (err instanceof ApiCallError && err.code === 'FAMILY_SWITCH') {
        const to = this.packs.find((p) => p.id === id)?.family?.label ?? 'the other family';
        this.familySwitch = { id, text: err.message, yes: `Switch to ${to}` };
        return;
      }
      this.errors.push(err, `Using model pack ${id}`);
    } finally {
      this.selecting = null;
    }
  }

  /** The execution-provider setting (auto or one provider); the engine reopens with it. */
  async setProvider(provider: ProviderChoice): Promise<void> {
    this.settingProvider = provider;
    try {
      this.status = await this.api.call('engine.setProvider', { provider });
    } catch (err) {
      this.errors.push(err, `Using the ${provider} provider`);
    } finally {
      this.settingProvider = null;
    }
  }

  /** The answer to the family-switch question: yes switches (the services were told), no keeps the pack. */
  answerFamilySwitch(yes: boolean): void {
    const q = this.familySwitch;
    this.familySwitch = null;
    if (q && yes) void this.select(q.id, true);
  }

  /** Import a folder holding an exported pack; validation errors are kept verbatim. */
  async importDir(dir: string): Promise<boolean> {
    const d = dir.trim();
    if (!d) return false;
    this.importing = true;
    this.importError = null;
    try {
      await this.api.call('models.import', { dir: d });
      await this.refresh();
      return true;
    } catch (err) {
      this.importError = asError(err);
      return false;
    } finally {
      this.importing = false;
    }
  }

  /** Start (or resume: a partial download continues) a catalog download. */
  async download(catalogId: string): Promise<void> {
    try {
      const { jobId } = await this.api.call('models.download', { catalogId });
      void follow(this.api, this.#subs, jobId, (j) => (this.downloads[catalogId] = j)).then((j) => {
        if (j?.state === 'done') void this.refresh();
      });
    } catch (err) {
      this.errors.push(err, `Downloading ${catalogId}`);
    }
  }

  async cancelDownload(catalogId: string): Promise<void> {
    const job = this.downloads[catalogId];
    if (!job) return;
    try {
      await this.api.call('jobs.cancel', { id: job.id });
    } catch (err) {
      this.errors.push(err, 'Cancelling the download');
    }
  }
}
