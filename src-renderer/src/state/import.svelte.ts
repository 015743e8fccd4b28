// The import dialog: format, path, prompts or fixed masks, which frames become prompts; then the
// services' report (objects made or mapped, masks stored, unmatched COCO images). The services
// send project.changed and tracks.updated; the mask cache is dropped so frames refetch.
import type { ImportReport, MasklineApi } from '$api/contract';
import { importRequest, type ImportForm } from '../lib/import-form';
import type { WorkspaceContext } from './context';
import type { ErrorsState } from './errors.svelte';

export class ImportState {
  open = $state(false);
  form = $state<ImportForm>({ format: 'coco', path: '', as: 'prompts', pick: 'all', every: 5 });
  running = $state(false);
  formError = $state<string | null>(null);
  report = $state<ImportReport | null>(null);

  constructor(
    private readonly ctx: Pick<WorkspaceContext, 'api' | 'errors'>,
    private readonly hooks: {
      /** the import changed masks (the cache is stale) */
      onImported: () => void;
    },
  ) {}

  private get api(): MasklineApi {
    return this.ctx.api;
  }

  private get errors(): ErrorsState {
    return this.ctx.errors;
  }

  show(): void {
    this.formError = null;
    this.report = null;
    this.open = true;
  }

  close(): void {
    this.open = false;
  }

  async run(): Promise<void> {
    const r = importRequest(this.form);
    if (!r.ok) {
      this.formError = r.error;
      return;
    }
    this.formError = null;
    this.running = true;
    try {
      this.report = await this.api.call('annotations.import', r.request);
      this.hooks.onImported();
    } catch (err) {
      this.formError = `${(err as { code?: string }).code ?? 'ERROR'}: ${(err as Error).message}`;
      this.errors.push(err, `Importing ${this.form.path}`);
    } finally {
      this.running = false;
    }
  }
}
