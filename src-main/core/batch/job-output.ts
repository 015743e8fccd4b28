// A batch job's output folder, written atomically: everything goes to a staging folder next to
// the target (same file system), and only a finished job is renamed into place. The target may
// only be replaced when it is missing, an empty folder, or an earlier batch output (it holds
// our marker, maskline-batch.json); anything else is refused before work starts. A worker killed
// mid-job leaves its staging folder behind; the job's next run removes it (the staging name
// carries the job id, and only this module writes such names).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CodedError } from '../../api/errors';

export const OUTPUT_MARKER = 'maskline-batch.json';

export class BatchOutputError extends CodedError<'OUT_NOT_OURS' | 'OUT_NOT_WRITABLE'> {}

export interface JobOutputLayout {
  /** the staging folder of this run */
  staging: string;
  /** staging/project: the Maskline project */
  project: string;
  /** staging/export: the requested exports */
  exportDir: string;
  /** the outermost folder this run created for the staging folder's parent (removed again on discard when empty) */
  createdParent: string | null;
}

function stagingPrefix(out: string, jobId: string): string {
  return `.${basename(out)}.maskline-staging-${jobId}-`;
}

/** Why `out` may not be replaced by this job's output, or null when it may. */
export async function outputRefusal(out: string): Promise<BatchOutputError | null> {
  const st = await stat(out).catch(() => null);
  if (!st) return null;
  if (!st.isDirectory())
    return new BatchOutputError('OUT_NOT_OURS', `${out} is a file, not a folder Maskline wrote: nothing was written; choose another "out".`, { out });
  const names = await readdir(out);
  if (names.length === 0 || names.includes(OUTPUT_MARKER)) return null;
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
  return new BatchOutputError(
    'OUT_NOT_OURS',
    `${out} already holds files Maskline did not write (${shown}): nothing was written; move them away or choose another "out".`,
    { out },
  );
}

/** Removes staging folders an earlier run of this job left (a killed worker), then creates this run's. */
export async function openJobOutput(out: string, jobId: string): Promise<JobOutputLayout> {
  const refusal = await outputRefusal(out);
  if (refusal) throw refusal;
  const parent = dirname(out);
  try {
    const createdParent = (await mkdir(parent, { recursive: true })) ?? null;
    const prefix = stagingPrefix(out, jobId);
    for (const n of await readdir(parent)) if (n.startsWith(prefix)) await rm(join(parent, n), { recursive: true, force: true });
    const staging = join(parent, `${prefix}${randomBytes(4).toString('hex')}`);
    await mkdir(staging);
    return { staging, project: join(staging, 'project'), exportDir: join(staging, 'export'), createdParent };
  } catch (err) {
    throw new BatchOutputError('OUT_NOT_WRITABLE', `cannot write next to ${out}: ${(err as Error).message}`, { out });
  }
}

/** Writes the marker, then puts the staging folder in the place of `out` (an earlier output of ours is replaced). */
export async function commitJobOutput(layout: JobOutputLayout, out: string, record: object): Promise<void> {
  await writeFile(join(layout.staging, OUTPUT_MARKER), JSON.stringify(record, null, 2) + '\n');
  // checked again: something may have appeared there while the job ran
  const refusal = await outputRefusal(out);
  if (refusal) throw refusal;
  if (!existsSync(out)) return rename(layout.staging, out);
  const names = await readdir(out);
  if (names.length === 0) {
    await rmdir(out);
    return rename(layout.staging, out);
  }
  // an earlier output of ours: moved aside first (one rename), so `out` is always whole
  const old = `${layout.staging}-replaced`;
  await rename(out, old);
  await rename(layout.staging, out);
  await rm(old, { recursive: true, force: true });
}

/** A failed or cancelled run: its staging folder goes, and the folders it created for it when empty; nothing else is touched. */
export async function discardJobOutput(layout: JobOutputLayout): Promise<void> {
  await rm(layout.staging, { recursive: true, force: true }).catch(() => {});
  const top = layout.createdParent;
  if (!top) return;
  for (let d = dirname(layout.staging); d.length >= top.length; d = dirname(d)) {
    // rmdir refuses a folder that is not empty (another job's output arrived meanwhile): then it stays
    if (
      !(await rmdir(d).then(
        () => true,
        () => false,
      ))
    )
      return;
    if (d === top) return;
  }
}
