// Label models (CLIP folders) in the window: the installed ones, which model and variant labelling
// uses, importing a folder (validation errors kept verbatim for the Models screen), choosing a
// variant and removing a model the app installed. The Models screen shows this; the Labels panel
// reads `active` from it. All decisions are the services' (labels.* methods).
import type { ApiError, LabelModelsState, LabelModelVariant, MasklineApi } from '$api/contract';
import { ApiCallError } from '$api/errors';
import type { WorkspaceContext } from './context';

const asError = (err: unknown): ApiError => ({
  code: err instanceof ApiCallError ? err.code : 'INTERNAL',
  message: err instanceof Error ? err.message : String(err),
});

export class LabelModelList {
  state = $state<LabelModelsState | null>(null);
  importing = $state(false);
  importError = $state<ApiError | null>(null);
  /** a refused remove (a folder the app did not install), shown verbatim beside the list */
  removeError = $state<ApiError | null>(null);
  /** the model id being chosen or removed */
  pending = $state<string | null>(null);

  models = $derived(this.state?.models ?? []);
  active = $derived(this.state?.active ?? null);
  activeModel = $derived(this.models.find((m) => m.id === this.active?.id) ?? null);

  constructor(private readonly ctx: Pick<WorkspaceContext, 'api' | 'errors'>) {}

  private get api(): MasklineApi {
    return this.ctx.api;
  }

  /** The list and the active choice (it depends on the open project: call again after an open). */
  async refresh(): Promise<void> {
    try {
      this.state = await this.api.call('labels.models', {});
    } catch (err) {
      this.ctx.errors.push(err, 'Listing the label models');
    }
  }

  /** Import a CLIP folder (absolute path); true when it was installed. */
  async importDir(dir: string): Promise<boolean> {
    const d = dir.trim();
    if (!d) return false;
    this.importing = true;
    this.importError = null;
    try {
      await this.api.call('labels.importModel', { dir: d });
      await this.refresh();
      return true;
    } catch (err) {
      this.importError = asError(err);
      return false;
    } finally {
      this.importing = false;
    }
  }

  async select(id: string, variant: LabelModelVariant): Promise<void> {
    this.pending = id;
    try {
      this.state = await this.api.call('labels.selectModel', { id, variant });
    } catch (err) {
      this.ctx.errors.push(err, `Using label model ${id} (${variant})`);
    } finally {
      this.pending = null;
    }
  }

  async remove(id: string): Promise<void> {
    this.pending = id;
    this.removeError = null;
    try {
      this.state = await this.api.call('labels.removeModel', { id });
    } catch (err) {
      this.removeError = asError(err);
    } finally {
      this.pending = null;
    }
  }
}
