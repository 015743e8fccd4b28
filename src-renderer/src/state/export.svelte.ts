// The export dialog's choices and the export job: formats, frame range (the in/out markers
// or the whole video by default), objects, overlay look, destination; then progress,
// cancel, and "open folder" (app.revealPath; the browser host cannot, so the path is shown).
import type { ExportFormat, ExportRequest, JobSnapshot, MasklineApi } from '$api/contract';
import {
  DEFAULT_EXPORT_LOOK,
  defaultExportDir,
  exportResultInfo,
  resolveDestination,
  validateExport,
  type ExportForm,
  type UserFolders,
} from '../lib/export-form';
import { Disposers } from '../lib/disposers';
import { follow, queuedJob } from '../lib/follow-job';
import type { WorkspaceContext } from './context';
import type { ErrorsState } from './errors.svelte';
import type { JobsState } from './jobs.svelte';

export class ExportState {
  open = $state(false);
  form = $state<ExportForm>({ formats: ['overlay'], from: 0, to: 0, objectIds: [], ...DEFAULT_EXPORT_LOOK, outDir: '', skipEmpty: false });
  /** home and Documents (app.info): the default destination and how a typed entry resolves */
  folders = $state<UserFolders | null>(null);
  /** the default destination for the open video (Documents/Maskline exports/<video>) */
  defaultDir = $state<string | null>(null);
  job = $state<JobSnapshot | null>(null);
  starting = $state(false);
  formError = $state<string | null>(null);
  /** the path shown when the file manager cannot be opened (browser mode) */
  revealedPath = $state<string | null>(null);

  running = $derived(this.job !== null && (this.job.state === 'queued' || this.job.state === 'running'));
  result = $derived(this.job?.state === 'done' ? exportResultInfo(this.job.result, this.form.outDir) : null);
  /** the full folder the export will write into, shown before exporting */
  destination = $derived(resolveDestination(this.form.outDir, this.folders));

  #subs = new Disposers();

  constructor(private readonly ctx: Pick<WorkspaceContext, 'api' | 'jobs' | 'errors'>) {}

  private get api(): MasklineApi {
    return this.ctx.api;
  }

  private get jobs(): JobsState {
    return this.ctx.jobs;
  }

  private get errors(): ErrorsState {
    return this.ctx.errors;
  }

  dispose(): void {
    this.#subs.dispose();
  }

  /**
   * Open with defaults: the marked range (or all frames), every object, the last destination
   * (the first time: Documents/Maskline exports/<video>). The overlay look is the CLI's (one
   * green at 40 %) until the user changes it here, not the on-screen view's opacity.
   */
  show(range: [number, number], objectIds: number[], videoName: string): void {
    if (!this.running) {
      this.form.from = range[0];
      this.form.to = range[1];
      this.form.objectIds = [...objectIds];
      this.job = null;
      this.revealedPath = null;
    }
    this.formError = null;
    this.open = true;
    void this.loadDefaults(videoName);
  }

  private async loadDefaults(videoName: string): Promise<void> {
    try {
      if (!this.folders) {
        const info = await this.api.call('app.info', {});
        this.folders = { homeDir: info.homeDir, documentsDir: info.documentsDir };
      }
      const previousDefault = this.defaultDir;
      this.defaultDir = defaultExportDir(this.folders, videoName);
      if (!this.form.outDir.trim() || this.form.outDir === previousDefault) this.form.outDir = this.defaultDir;
    } catch (err) {
      this.errors.push(err, 'Reading the default export folder');
    }
  }

  useDefaultDir(): void {
    if (this.defaultDir) this.form.outDir = this.defaultDir;
  }

  close(): void {
    this.open = false;
  }

  toggleFormat(f: ExportFormat): void {
    const s = new Set(this.form.formats);
    if (s.has(f)) s.delete(f);
    else s.add(f);
    this.form.formats = [...s];
  }

  toggleObject(id: number): void {
    const s = new Set(this.form.objectIds);
    if (s.has(id)) s.delete(id);
    else s.add(id);
    this.form.objectIds = [...s].sort((a, b) => a - b);
  }

  async chooseFolder(): Promise<void> {
    try {
      const dir = await this.api.call('dialog.chooseFolder', { title: 'Export to folder' });
      if (dir) this.form.outDir = dir;
    } catch (err) {
      this.errors.push(err, 'Choosing the export folder');
    }
  }

  async run(frames: number, allObjectIds: number[]): Promise<void> {
    const checked = validateExport(this.form, frames, allObjectIds, this.folders);
    if (!checked.ok) {
      this.formError = checked.message;
      return;
    }
    this.formError = null;
    this.starting = true;
    this.revealedPath = null;
    try {
      const req: ExportRequest = checked.request;
      const { jobId } = await this.api.call('export.run', req);
      this.job = this.jobs.get(jobId) ?? queuedJob(jobId, 'export', 'Export', 'frames');
      // a dialog shown again after the run forgot it (show() sets job to null): its snapshots are not shown
      void follow(this.api, this.#subs, jobId, (j) => {
        if (this.job?.id === j.id) this.job = j;
      });
    } catch (err) {
      this.formError = `${err instanceof Error ? err.message : String(err)}`;
    } finally {
      this.starting = false;
    }
  }

  async cancel(): Promise<void> {
    if (!this.job) return;
    try {
      await this.api.call('jobs.cancel', { id: this.job.id });
    } catch (err) {
      this.errors.push(err, 'Cancelling the export');
    }
  }

  async reveal(path: string): Promise<void> {
    try {
      const { opened } = await this.api.call('app.revealPath', { path });
      this.revealedPath = opened ? null : path;
    } catch (err) {
      this.revealedPath = path;
      this.errors.push(err, `Opening ${path}`);
    }
  }
}
