// The batch manifest (docs/batch.md): a JSON file listing jobs, validated whole before anything
// is enqueued. Pure: the result names every bad entry by index and field; paths are absolute
// or resolved against the manifest's own folder (never the working directory).
import { isAbsolute, resolve, sep } from 'node:path';
import type { ExportFormat, SegmentEverythingRequest } from '../../api/contract';
import { FORMATS } from '../export/types';
import { parseTrackPrompts, PromptsFileError, type TrackObject } from '../sam2/track-prompts';

export type SegmentOptions = Omit<SegmentEverythingRequest, 'frame'>;

export type ManifestSeed =
  | { kind: 'prompts'; objects: TrackObject[] }
  /** a prompts.json file still to read (resolved, absolute) */
  | { kind: 'promptsFile'; file: string }
  | { kind: 'segment'; frame: number; options: SegmentOptions; keep: 'all' | number };

export interface ManifestEntry {
  index: number;
  video: string;
  seed: ManifestSeed;
  /** model pack folder, absolute; null: the worker's --model */
  model: string | null;
  formats: ExportFormat[];
  out: string;
}

export interface ManifestIssue {
  index: number | null;
  field: string;
  message: string;
}

export const DEFAULT_FORMATS: ExportFormat[] = ['png'];

/** "jobs[2].video: must be …" — one line per issue. */
export function formatIssue(i: ManifestIssue): string {
  return `${i.index === null ? '' : `jobs[${i.index}]`}${i.field ? `${i.index === null ? '' : '.'}${i.field}` : ''}: ${i.message}`;
}

const SEGMENT_NUMBERS: Record<string, { integer: boolean; min: number; max: number }> = {
  pointsPerSide: { integer: true, min: 1, max: 128 },
  pointsPerBatch: { integer: true, min: 1, max: 1024 },
  predIouThresh: { integer: false, min: 0, max: 1 },
  stabilityScoreThresh: { integer: false, min: 0, max: 1 },
  boxNmsThresh: { integer: false, min: 0, max: 1 },
  cropNLayers: { integer: true, min: 0, max: 3 },
  minMaskRegionArea: { integer: true, min: 0, max: 1e9 },
};

function pathField(v: unknown, baseDir: string): string | null {
  if (typeof v !== 'string' || v.trim() === '') return null;
  return isAbsolute(v) ? resolve(v) : resolve(baseDir, v);
}

function segmentSeed(v: unknown, bad: (field: string, msg: string) => void): ManifestSeed | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return (bad('segmentEverything', 'must be {"frame": N, "options": {...}, "keep": "all" | N}'), null);
  const { frame, options = {}, keep = 'all', ...rest } = v as Record<string, unknown>;
  for (const k of Object.keys(rest)) bad(`segmentEverything.${k}`, 'is not a known field (frame, options, keep)');
  if (typeof frame !== 'number' || !Number.isInteger(frame) || frame < 0)
    bad('segmentEverything.frame', `must be a frame index (integer ≥ 0), got ${JSON.stringify(frame)}`);
  if (!(keep === 'all' || (typeof keep === 'number' && Number.isInteger(keep) && keep >= 1)))
    bad('segmentEverything.keep', `must be "all" or a count ≥ 1, got ${JSON.stringify(keep)}`);
  const opts: SegmentOptions = {};
  if (!options || typeof options !== 'object' || Array.isArray(options)) bad('segmentEverything.options', 'must be an object');
  else {
    for (const [k, val] of Object.entries(options)) {
      const spec = SEGMENT_NUMBERS[k];
      if (k === 'useM2m') {
        if (typeof val !== 'boolean') bad(`segmentEverything.options.${k}`, 'must be true or false');
        else opts.useM2m = val;
      } else if (!spec) bad(`segmentEverything.options.${k}`, `is not a segment-everything option (${[...Object.keys(SEGMENT_NUMBERS), 'useM2m'].join(', ')})`);
      else if (typeof val !== 'number' || (spec.integer && !Number.isInteger(val)) || val < spec.min || val > spec.max) {
        bad(`segmentEverything.options.${k}`, `must be ${spec.integer ? 'an integer' : 'a number'} in ${spec.min}..${spec.max}, got ${JSON.stringify(val)}`);
      } else (opts as Record<string, number>)[k] = val;
    }
  }
  return { kind: 'segment', frame: frame as number, options: opts, keep: keep as 'all' | number };
}

function entryOf(raw: unknown, index: number, baseDir: string, issues: ManifestIssue[]): ManifestEntry | null {
  const before = issues.length;
  const bad = (field: string, message: string) => void issues.push({ index, field, message });
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return (bad('', 'must be an object {video, prompts | segmentEverything, model, formats, out}'), null);
  const { video, prompts, segmentEverything, model, formats, out, ...rest } = raw as Record<string, unknown>;
  for (const k of Object.keys(rest)) bad(k, 'is not a known field (video, prompts, segmentEverything, model, formats, out)');
  const videoPath = pathField(video, baseDir);
  if (!videoPath) bad('video', 'must be a path to a video file');
  const outPath = pathField(out, baseDir);
  if (!outPath) bad('out', 'must be a path to the output folder of this job');
  let modelPath: string | null = null;
  if (model !== undefined && model !== null) {
    modelPath = pathField(model, baseDir);
    if (!modelPath) bad('model', "must be a path to a model pack folder (or left out: the worker's --model)");
  }
  let seed: ManifestSeed | null = null;
  if ((prompts === undefined) === (segmentEverything === undefined))
    bad(prompts === undefined ? 'prompts' : 'segmentEverything', 'give exactly one of "prompts" and "segmentEverything"');
  else if (prompts !== undefined) {
    if (typeof prompts === 'string') {
      const file = pathField(prompts, baseDir);
      if (!file) bad('prompts', 'must be a prompts.json path or its content');
      else seed = { kind: 'promptsFile', file };
    } else {
      try {
        seed = { kind: 'prompts', objects: parseTrackPrompts(prompts, 'prompts') };
      } catch (e) {
        if (!(e instanceof PromptsFileError)) throw e;
        bad('prompts', e.message.replace(/^prompts: /, ''));
      }
    }
  } else seed = segmentSeed(segmentEverything, bad);
  let formatList = DEFAULT_FORMATS;
  if (formats !== undefined) {
    const list = Array.isArray(formats) ? formats : typeof formats === 'string' ? formats.split(',').map((f) => f.trim()) : null;
    const unknown = list?.filter((f) => !FORMATS.includes(f as ExportFormat)) ?? [];
    if (!list || list.length === 0 || unknown.length)
      bad(
        'formats',
        `must list export formats of ${FORMATS.join(',')}${unknown.length ? `; unknown: ${unknown.map((u) => JSON.stringify(u)).join(', ')}` : ''}`,
      );
    else formatList = [...new Set(list)] as ExportFormat[];
  }
  if (issues.length > before) return null;
  return { index, video: videoPath!, seed: seed!, model: modelPath, formats: formatList, out: outPath! };
}

/** Whether folder a is b or lies inside it. */
function within(a: string, b: string): boolean {
  return a === b || a.startsWith(b.endsWith(sep) ? b : `${b}${sep}`);
}

/**
 * Every entry checked; `issues` empty means all of `entries` may be enqueued. Two jobs never
 * share an output folder or nest one inside the other (each is replaced whole on commit).
 */
export function validateManifest(raw: unknown, manifestDir: string): { entries: ManifestEntry[]; issues: ManifestIssue[] } {
  const issues: ManifestIssue[] = [];
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? (raw as { jobs?: unknown }).jobs : undefined;
  if (!Array.isArray(list))
    return { entries: [], issues: [{ index: null, field: 'jobs', message: 'the manifest must be {"jobs": [...]} (or a list of jobs)' }] };
  if (list.length === 0) return { entries: [], issues: [{ index: null, field: 'jobs', message: 'is empty: nothing to submit' }] };
  const entries = list.map((e, i) => entryOf(e, i, manifestDir, issues)).filter((e): e is ManifestEntry => e !== null);
  for (const e of entries) {
    const clash = entries.find((o) => o.index < e.index && (within(e.out, o.out) || within(o.out, e.out)));
    if (clash)
      issues.push({ index: e.index, field: 'out', message: `${e.out} overlaps jobs[${clash.index}].out (${clash.out}): each job needs its own folder` });
  }
  issues.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
  return { entries, issues };
}
