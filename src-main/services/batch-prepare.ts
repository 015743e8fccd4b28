// A manifest file → the jobs to enqueue, or every problem with it. The pure checks are
// core/batch/manifest.ts; here the file system is asked: the manifest and prompts files are
// read, each video must exist and gets its content key (the job id's base). Nothing touches
// Redis here, so a bad manifest enqueues nothing.
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { batchJobId, type BatchJobData, type BatchSeed } from '../core/batch/job-spec';
import { validateManifest, type ManifestEntry, type ManifestIssue } from '../core/batch/manifest';
import { PromptsFileError, readTrackPrompts } from '../core/sam2/track-prompts';
import { computeVideoKey } from '../core/video/video-key';

export interface PreparedJob {
  index: number;
  id: string;
  data: BatchJobData;
}

export interface Prepared {
  jobs: PreparedJob[];
  issues: ManifestIssue[];
}

async function prepareEntry(e: ManifestEntry, issues: ManifestIssue[]): Promise<PreparedJob | null> {
  const bad = (field: string, message: string) => void issues.push({ index: e.index, field, message });
  let seed: BatchSeed | null = null;
  if (e.seed.kind === 'promptsFile') {
    try {
      seed = { kind: 'prompts', objects: readTrackPrompts(e.seed.file) };
    } catch (err) {
      if (!(err instanceof PromptsFileError)) throw err;
      bad('prompts', err.message);
    }
  } else seed = e.seed;
  let videoKey: string | null = null;
  const st = statSync(e.video, { throwIfNoEntry: false });
  if (!st) bad('video', `${e.video} does not exist`);
  else if (!st.isFile()) bad('video', `${e.video} is not a file`);
  else if (st.size === 0) bad('video', `${e.video} is empty`);
  else videoKey = (await computeVideoKey(e.video)).key;
  if (e.model !== null && !statSync(e.model, { throwIfNoEntry: false })?.isDirectory())
    bad('model', `${e.model} is not a folder (a model pack folder holds model.json)`);
  if (!seed || !videoKey || issues.some((i) => i.index === e.index)) return null;
  const data: BatchJobData = { video: e.video, videoKey, seed, model: e.model, formats: e.formats, out: e.out };
  return { index: e.index, id: batchJobId(data), data };
}

/** Validates the parsed manifest in full; `baseDir` is the manifest's folder (relative paths are resolved against it). */
export async function prepareManifest(raw: unknown, baseDir: string): Promise<Prepared> {
  const { entries, issues } = validateManifest(raw, baseDir);
  const jobs: PreparedJob[] = [];
  for (const e of entries) {
    const j = await prepareEntry(e, issues);
    if (j) jobs.push(j);
  }
  for (const j of jobs) {
    const twin = jobs.find((o) => o.index < j.index && o.id === j.id);
    if (twin) issues.push({ index: j.index, field: '', message: `the same job as jobs[${twin.index}]` });
  }
  issues.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
  return { jobs: issues.length ? [] : jobs, issues };
}

/** Reads and prepares a manifest file (absolute path). */
export async function prepareManifestFile(file: string): Promise<Prepared> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { jobs: [], issues: [{ index: null, field: '', message: `${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}` }] };
  }
  return prepareManifest(raw, dirname(file));
}
