// `maskline import`: masks made elsewhere (or exported by Maskline) into a project, as mask
// prompts SAM 2 tracks from or as fixed masks. One transaction: a bad file imports nothing.
import { resolve } from 'node:path';
import type { CliCommand } from '../command';
import { UsageError } from '../args';
import { openProjectStore } from '../../core/store';
import { storeExportSource } from '../../core/export';
import { IMPORT_FORMATS, importAnnotations, type FramePick, type ImportFormat, type ImportRequest, type ImportUse } from '../../core/import';

export function importRequestFromFlags(flags: Record<string, unknown>, cwd: string): ImportRequest {
  const format = String(flags.format);
  if (!IMPORT_FORMATS.includes(format as ImportFormat)) throw new UsageError(`--format must be one of ${IMPORT_FORMATS.join('|')}, got "${format}"`);
  const use = flags.as === undefined ? 'prompts' : String(flags.as);
  if (use !== 'prompts' && use !== 'fixed') throw new UsageError(`--as must be prompts or fixed, got "${use}"`);
  let pick: FramePick = 'all';
  if (flags.every !== undefined) {
    const n = Number(flags.every);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--every must be a positive whole number, got ${String(flags.every)}`);
    if (use === 'fixed') throw new UsageError('--every chooses prompt frames; fixed masks are all imported');
    pick = { every: n };
  }
  // a relative --in is the user's: resolved against the shell's folder the command runs in
  return { format: format as ImportFormat, path: resolve(cwd, String(flags.in)), use: use as ImportUse, pick };
}

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Import masks (PNG folders, DAVIS palette, COCO, YOLO-seg, MOTS) into a project as mask prompts or fixed masks',
  flags: {
    project: { type: 'string', required: true, help: 'project folder (the one holding project.sqlite)' },
    format: { type: 'string', required: true, help: IMPORT_FORMATS.join('|') },
    in: { type: 'string', required: true, help: 'the annotations: a folder (png, palette, yolo), a file (coco, mots), or an export folder holding them' },
    as: { type: 'string', help: 'prompts (default: SAM 2 mask prompts to track from) or fixed (kept as they are, never re-tracked)' },
    every: { type: 'number', help: 'with --as prompts: only every Nth imported frame of each object becomes a prompt (default all)' },
  },
  async run(flags) {
    const req = importRequestFromFlags(flags, process.cwd());
    const store = openProjectStore(String(flags.project), { create: false });
    try {
      const { video } = storeExportSource(store);
      const r = await importAnnotations(store, video, req);
      console.log(
        `imported ${r.stored} masks as ${r.use === 'fixed' ? 'fixed masks' : 'mask prompts'}${r.skipped ? ` (${r.skipped} frames left out by --every)` : ''}:`,
      );
      for (const o of r.objects) console.log(`  object ${o.id} "${o.name}"${o.label ? ` [${o.label}]` : ''}: ${o.masks} masks${o.created ? ' (new)' : ''}`);
      if (r.unmatchedImages.length) console.log(`${r.unmatchedImages.length} images matched no frame and were skipped: ${r.unmatchedImages.join(', ')}`);
      return 0;
    } finally {
      store.close();
    }
  },
};
