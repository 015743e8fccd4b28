// annotations.import for the open project: a job (kind 'import', files read as progress, cancel
// before the write imports nothing) over core/import, which writes everything in one
// transaction. Afterwards the engine is restored from the database before its next use (the
// imported mask prompts are prompted then), and the undo history is cleared: its entries
// captured cells the import may have rewritten.
import { isAbsolute } from 'node:path';
import type { ImportAnnotationsRequest, ImportReport } from '../../api/contract';
import { ApiCallError } from '../../api/errors';
import { importAnnotations, type VideoShape } from '../../core/import';
import type { JobRegistry } from '../../core/jobs';
import type { ProjectStore } from '../../core/store';

export interface ImportHost {
  readonly store: ProjectStore;
  videoShape(): VideoShape;
  afterImport(): void;
}

export async function runImportJob(host: ImportHost, jobs: JobRegistry, a: ImportAnnotationsRequest): Promise<ImportReport> {
  if (!isAbsolute(a.path)) throw new ApiCallError('BAD_ARGS', `args.path must be an absolute path, got "${a.path}"`, { field: 'args.path' });
  const use = a.as ?? 'prompts';
  const req = { format: a.format, path: a.path, use, pick: use === 'prompts' ? (a.pick ?? 'all') : 'all' } as const;
  const handle = jobs.create(
    'import',
    `Import ${a.format} as ${use === 'fixed' ? 'fixed masks' : 'mask prompts'}`,
    (ctx) => importAnnotations(host.store, host.videoShape(), req, { signal: ctx.signal, onFile: (done, total) => ctx.report(done, total, 'files') }),
    { unit: 'files', result: (r) => ({ stored: r.stored, objects: r.objects.length, unmatchedImages: r.unmatchedImages.length }) },
  );
  const o = await handle.outcome;
  await handle.settled;
  if (o.state === 'cancelled') throw new ApiCallError('CANCELLED', 'The import was cancelled; nothing was imported.');
  if (o.state === 'failed') throw new ApiCallError(o.error.code, o.error.message, o.error.details);
  host.afterImport();
  return o.value;
}
