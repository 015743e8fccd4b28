// An export as a job of the registry: its signal cancels, its progress reaches the job bar.
import type { ExportRequest } from '../../api/contract';
import type { JobFn, JobOptions } from '../jobs';
import { runExport, type RunExportOptions } from './run-export';
import type { ExportResult, ExportSource } from './types';

/** `registry.create('export', label, exportJob(source, request), EXPORT_JOB_OPTIONS)` */
export function exportJob(source: ExportSource, request: ExportRequest, opts: Omit<RunExportOptions, 'signal' | 'onProgress'> = {}): JobFn<ExportResult> {
  return (ctx) => runExport(source, request, { ...opts, signal: ctx.signal, onProgress: (p) => ctx.report(p.done, p.total, p.unit) });
}

export const EXPORT_JOB_OPTIONS: JobOptions = { unit: 'frames' };
