// The Batch panel (docs/batch.md): videos (paths or a folder) + keyframe prompts file or
// segment-everything options → one job per video on a Redis queue that `maskline worker`s
// elsewhere take; the queue's status polled every 1.5 s while the panel is open; a finished
// job's project opens here. The Redis URL is remembered (localStorage); nothing here needs
// Redis unless a URL is set.
import type { ApiError, BatchJobView, BatchStatusView, ExportFormat, MasklineApi } from '$api/contract';
import { ApiCallError } from '$api/errors';
import { pathLines, projectDirOf } from '../lib/batch-form';
import type { WorkspaceContext } from './context';

const KEY = 'maskline.batch.v1';
const POLL_MS = 1500;

const asError = (err: unknown): ApiError => ({
  code: err instanceof ApiCallError ? err.code : 'INTERNAL',
  message: err instanceof Error ? err.message : String(err),
});

export class BatchState {
  open = $state(false);
  /** the URL in force (remembered) and the field being edited */
  redisUrl = $state('');
  urlDraft = $state('');
  videosText = $state('');
  folder = $state('');
  seedKind = $state<'prompts' | 'segment'>('prompts');
  promptsFile = $state('');
  segmentFrame = $state(0);
  segmentKeep = $state<'all' | number>('all');
  pointsPerSide = $state(16);
  model = $state('');
  formats = $state<ExportFormat[]>(['png']);
  outRoot = $state('');
  force = $state(false);

  submitting = $state(false);
  submitError = $state<ApiError | null>(null);
  lastSubmit = $state<{ added: number; skipped: number } | null>(null);
  status = $state<BatchStatusView | null>(null);
  statusError = $state<ApiError | null>(null);

  videos = $derived(pathLines(this.videosText));
  canSubmit = $derived(
    !this.submitting &&
      this.redisUrl.trim() !== '' &&
      (this.videos.length > 0 || this.folder.trim() !== '') &&
      this.outRoot.trim() !== '' &&
      this.formats.length > 0 &&
      (this.seedKind === 'segment' || this.promptsFile.trim() !== ''),
  );

  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly ctx: Pick<WorkspaceContext, 'api' | 'project'>) {
    try {
      const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as { redisUrl?: unknown; outRoot?: unknown } | null;
      if (typeof saved?.redisUrl === 'string') this.redisUrl = this.urlDraft = saved.redisUrl;
      if (typeof saved?.outRoot === 'string') this.outRoot = saved.outRoot;
    } catch {
      // nothing remembered
    }
  }

  private get api(): MasklineApi {
    return this.ctx.api;
  }

  dispose(): void {
    this.hide();
  }

  show(): void {
    this.open = true;
    void this.poll();
  }

  hide(): void {
    this.open = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Remembers the URL (and output folder) and reads the queue at once. */
  setRedisUrl(url: string): void {
    this.redisUrl = url.trim();
    this.status = null;
    this.statusError = null;
    this.#save();
    void this.poll();
  }

  toggleFormat(f: ExportFormat, on: boolean): void {
    this.formats = on ? [...new Set([...this.formats, f])] : this.formats.filter((x) => x !== f);
  }

  async submit(): Promise<boolean> {
    if (!this.canSubmit) return false;
    this.submitting = true;
    this.submitError = null;
    this.#save();
    try {
      const seed =
        this.seedKind === 'prompts'
          ? { kind: 'prompts' as const, promptsFile: this.promptsFile.trim() }
          : { kind: 'segment' as const, frame: this.segmentFrame, options: { pointsPerSide: this.pointsPerSide }, keep: this.segmentKeep };
      const r = await this.api.call('batch.submit', {
        redisUrl: this.redisUrl,
        videos: this.videos,
        ...(this.folder.trim() ? { folder: this.folder.trim() } : {}),
        seed,
        model: this.model.trim() || null,
        formats: this.formats,
        outRoot: this.outRoot.trim(),
        force: this.force,
      });
      this.lastSubmit = { added: r.added.length, skipped: r.skipped.length };
      void this.poll();
      return true;
    } catch (err) {
      this.submitError = asError(err);
      return false;
    } finally {
      this.submitting = false;
    }
  }

  async cancel(id: string): Promise<void> {
    await this.#act(() => this.api.call('batch.cancel', { redisUrl: this.redisUrl, ids: [id] }));
  }

  async retry(id: string): Promise<void> {
    await this.#act(() => this.api.call('batch.retry', { redisUrl: this.redisUrl, ids: [id] }));
  }

  /** Opens a finished job's project in the app and closes the panel. */
  async openProject(job: BatchJobView): Promise<void> {
    if (await this.ctx.project.openFolder(projectDirOf(job))) this.hide();
  }

  /** Reads the status now, then again every POLL_MS while the panel is open and a URL is set. */
  async poll(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.open || !this.redisUrl) return;
    try {
      this.status = await this.api.call('batch.status', { redisUrl: this.redisUrl });
      this.statusError = null;
    } catch (err) {
      this.statusError = asError(err);
    }
    if (this.open) this.#timer = setTimeout(() => void this.poll(), POLL_MS);
  }

  async #act(call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
      this.statusError = null;
    } catch (err) {
      this.statusError = asError(err);
    }
    void this.poll();
  }

  #save(): void {
    try {
      localStorage.setItem(KEY, JSON.stringify({ redisUrl: this.redisUrl, outRoot: this.outRoot }));
    } catch {
      // private mode or a full quota: not remembered
    }
  }
}
