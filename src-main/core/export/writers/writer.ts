// What every per-frame format writer looks like to the export loop.
import type { ClassTable } from '../classes';
import type { ExportFrame } from '../export-frame';
import type { OutputFs } from '../output-fs';
import type { ExportPlan } from '../plan';
import type { OutputStaging } from '../staging';
import type { ExportSource } from '../types';

export interface WriterContext {
  plan: ExportPlan;
  source: ExportSource;
  staging: OutputStaging;
  fs: OutputFs;
  classes: ClassTable;
}

export interface FormatWriter {
  /** called for every frame of the range, in order */
  frame(f: ExportFrame): Promise<void>;
  /** after the last frame: flush, write trailing files */
  finish(): Promise<void>;
  /** files written (or being written) so far */
  readonly fileCount: number;
  /** on failure: stop what is in flight (temporaries are removed by the staging) */
  abort(): Promise<void>;
}
