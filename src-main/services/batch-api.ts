// The API's batch.* methods (the app's Batch panel) over the same code as `maskline batch`:
// a request is turned into a manifest and validated whole by services/batch-prepare.ts, then
// enqueued by services/batch-service.ts. One queue connection per Redis URL, kept while it works.
import { readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { BatchSubmitRequest, MethodArgs, MethodResult } from '../api/contract';
import { ApiCallError } from '../api/errors';
import { formatIssue } from '../core/batch/manifest';
import { prepareManifest } from './batch-prepare';
import { BatchService } from './batch-service';

export const VIDEO_EXTENSIONS = ['.mp4', '.mov', '.mkv', '.avi', '.webm', '.m4v', '.mpg', '.mpeg', '.ts', '.wmv', '.flv'];

/** The manifest a panel request stands for: one job per video, out = <outRoot>/<name without extension>. */
export function manifestOfRequest(r: BatchSubmitRequest): { jobs: object[] } {
  const videos = [...r.videos];
  if (r.folder) {
    let names: string[];
    try {
      names = readdirSync(r.folder).sort();
    } catch (err) {
      throw new ApiCallError('FILE_NOT_FOUND', `Cannot list the folder ${r.folder}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
        file: r.folder,
      });
    }
    for (const n of names) if (VIDEO_EXTENSIONS.includes(extname(n).toLowerCase())) videos.push(join(r.folder, n));
  }
  if (videos.length === 0)
    throw new ApiCallError(
      'BAD_MANIFEST',
      r.folder ? `No video files in ${r.folder} (${VIDEO_EXTENSIONS.join(' ')}).` : 'Pick at least one video or a folder.',
    );
  const seed =
    r.seed.kind === 'prompts' ? { prompts: r.seed.promptsFile } : { segmentEverything: { frame: r.seed.frame, options: r.seed.options, keep: r.seed.keep } };
  return {
    jobs: [...new Set(videos)].map((video) => ({
      video,
      ...seed,
      ...(r.model ? { model: r.model } : {}),
      formats: r.formats,
      out: join(r.outRoot, basename(video, extname(video))),
    })),
  };
}

export class BatchApi {
  private readonly queues = new Map<string, Promise<BatchService>>();

  async submit(r: MethodArgs<'batch.submit'>): Promise<MethodResult<'batch.submit'>> {
    const prepared = await prepareManifest(manifestOfRequest(r), r.outRoot);
    if (prepared.issues.length) {
      const lines = prepared.issues.map(formatIssue);
      throw new ApiCallError('BAD_MANIFEST', `Nothing was submitted: ${lines.join('; ')}`, { issues: lines });
    }
    return this.use(r.redisUrl, (b) => b.submit(prepared.jobs, r.force === true));
  }

  status(a: MethodArgs<'batch.status'>): Promise<MethodResult<'batch.status'>> {
    return this.use(a.redisUrl, (b) => b.status());
  }

  cancel(a: MethodArgs<'batch.cancel'>): Promise<MethodResult<'batch.cancel'>> {
    return this.use(a.redisUrl, (b) => b.cancel(a.ids));
  }

  async retry(a: MethodArgs<'batch.retry'>): Promise<MethodResult<'batch.retry'>> {
    return { retried: await this.use(a.redisUrl, (b) => b.retry(a.ids)) };
  }

  async close(): Promise<void> {
    for (const q of this.queues.values()) await q.then((b) => b.close()).catch(() => {});
    this.queues.clear();
  }

  /** The URL's connection (made on first use); a failure drops it so the next call connects anew. */
  private async use<T>(url: string, fn: (b: BatchService) => Promise<T>): Promise<T> {
    let q = this.queues.get(url);
    if (!q) {
      q = BatchService.connect(url);
      this.queues.set(url, q);
    }
    try {
      return await fn(await q);
    } catch (err) {
      this.queues.delete(url);
      void q.then((b) => b.close()).catch(() => {});
      throw err;
    }
  }
}
