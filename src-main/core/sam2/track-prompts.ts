// prompts.json of `maskline track` and `maskline run`, in video pixels:
// {"objects":[{"id":1,"prompts":[{"frame":0,"points":[[x,y]],"labels":[1],"box":[x0,y0,x1,y1]}]}]}
// (points/labels and box each optional, at least one of them). Parsed and checked before the
// engine starts; messages name the file and the JSON path of the problem.
import { readFileSync } from 'node:fs';
import type { Box } from './points';
import { CodedError } from '../../api/errors';

export interface TrackPrompt {
  frame: number;
  points: [number, number][];
  labels: number[];
  box: Box | null;
}

export interface TrackObject {
  id: number;
  prompts: TrackPrompt[];
}

export class PromptsFileError extends CodedError<'BAD_PROMPTS_FILE'> {
  constructor(message: string) {
    super('BAD_PROMPTS_FILE', message);
  }
}

export function parseTrackPrompts(raw: unknown, file = 'prompts.json'): TrackObject[] {
  const bad = (where: string, what: string): never => {
    throw new PromptsFileError(`${file}: ${where} ${what}`);
  };
  if (!raw || typeof raw !== 'object' || !Array.isArray((raw as { objects?: unknown }).objects)) bad('the top level', 'must be {"objects": [...]}');
  const objects = (raw as { objects: unknown[] }).objects;
  if (objects.length === 0) bad('"objects"', 'is empty');
  const ids = new Set<number>();
  return objects.map((o, i) => {
    const at = `objects[${i}]`;
    if (!o || typeof o !== 'object') return bad(at, 'must be an object');
    const { id, prompts } = o as { id?: unknown; prompts?: unknown };
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) return bad(`${at}.id`, `must be an integer, got ${JSON.stringify(id)}`);
    if (ids.has(id)) bad(`${at}.id`, `${id} is used twice`);
    ids.add(id);
    if (!Array.isArray(prompts) || prompts.length === 0) return bad(`${at}.prompts`, 'must be a non-empty list');
    const frames = new Set<number>();
    const list = prompts.map((p, j): TrackPrompt => {
      const pat = `${at}.prompts[${j}]`;
      if (!p || typeof p !== 'object') return bad(pat, 'must be an object');
      const { frame, points, labels, box } = p as Record<string, unknown>;
      if (typeof frame !== 'number' || !Number.isInteger(frame) || frame < 0)
        return bad(`${pat}.frame`, `must be a frame index (integer ≥ 0), got ${JSON.stringify(frame)}`);
      if (frames.has(frame)) bad(`${pat}.frame`, `${frame} is prompted twice for object ${id}: put all points of a frame in one prompt`);
      frames.add(frame);
      const pts = points ?? [];
      const lbs = labels ?? [];
      if (!Array.isArray(pts) || !pts.every((q) => Array.isArray(q) && q.length === 2 && q.every((v) => typeof v === 'number'))) {
        return bad(`${pat}.points`, 'must be a list of [x, y] pairs');
      }
      if (!Array.isArray(lbs) || !lbs.every((v) => v === 0 || v === 1)) return bad(`${pat}.labels`, 'must be a list of 0/1 values (1 positive, 0 negative)');
      if (lbs.length !== pts.length) bad(`${pat}.labels`, `has ${lbs.length} values for ${pts.length} points`);
      if (box !== undefined && box !== null && (!Array.isArray(box) || box.length !== 4 || !box.every((v) => typeof v === 'number'))) {
        return bad(`${pat}.box`, 'must be [x0, y0, x1, y1]');
      }
      if (box && !((box as number[])[2]! > (box as number[])[0]! && (box as number[])[3]! > (box as number[])[1]!))
        bad(`${pat}.box`, 'must have x1 > x0 and y1 > y0');
      if (pts.length === 0 && !box) bad(pat, 'has neither points nor a box');
      return { frame, points: pts as [number, number][], labels: lbs as number[], box: (box as Box | undefined) ?? null };
    });
    return { id, prompts: list };
  });
}

/** Reads and parses a prompts.json file; errors name the file. */
export function readTrackPrompts(file: string): TrackObject[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new PromptsFileError(`${file}: ${(e as Error).message}`);
  }
  return parseTrackPrompts(raw, file);
}
