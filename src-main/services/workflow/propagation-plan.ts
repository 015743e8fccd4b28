// Which engine passes a propagation or re-propagation makes. Pure, table-tested.
// - propagate: forward from the frame to the range's end, backward to its start, or both
//   (forward first, then backward from the same frame), for the given objects.
// - re-propagate from f: per object, frames f+1 … (its next conditioning frame after f) − 1, or
//   the last frame; objects with the same end share one pass. Prompted frames are never in it.
// - resume (issue 13): each object's part of a pass starts at its first frame not yet tracked
//   since its last prompt change; objects that start at the same frame share one pass.
import { ApiCallError } from '../../api/errors';
import type { Direction } from '../../api/contract';
import { propagationOrder } from '../../core/sam2/memory-plan';

export interface Pass {
  start: number;
  /** frames after the start (the engine visits maxFrames + 1 frames) */
  maxFrames: number;
  reverse: boolean;
  objIds: number[];
}

function bad(field: string, what: string): never {
  throw new ApiCallError('BAD_ARGS', `${field} ${what}`, { field });
}

export function propagationPasses(frame: number, direction: Direction, range: [number, number] | undefined, numFrames: number, objIds: number[]): Pass[] {
  const last = numFrames - 1;
  if (frame > last) bad('args.frame', `${frame} is past the last frame (${last})`);
  const [from, to] = range ?? [0, last];
  if (from > to) bad('args.range', `[${from}, ${to}] must start at or before its end`);
  if (to > last) bad('args.range', `ends at ${to}, past the last frame (${last})`);
  if (frame < from || frame > to) bad('args.frame', `${frame} must lie inside the range [${from}, ${to}]`);
  const passes: Pass[] = [];
  if (direction !== 'backward') passes.push({ start: frame, maxFrames: to - frame, reverse: false, objIds });
  // 'both' does not visit its start frame twice when there is nothing before it
  if (direction === 'backward' || (direction === 'both' && frame > from)) passes.push({ start: frame, maxFrames: frame - from, reverse: true, objIds });
  // a backward pass from frame 0 visits nothing (the reference does the same)
  return passes.filter((p) => passFrames(p, numFrames).length > 0);
}

export function repropagationPasses(frame: number, condFrames: ReadonlyMap<number, readonly number[]>, numFrames: number): Pass[] {
  const last = numFrames - 1;
  if (frame > last) bad('args.frame', `${frame} is past the last frame (${last})`);
  const byEnd = new Map<number, number[]>();
  for (const [id, frames] of condFrames) {
    if (frames.length === 0) continue;
    const next = frames.filter((f) => f > frame).reduce((a, b) => Math.min(a, b), Infinity);
    const end = next === Infinity ? last : next - 1;
    if (end < frame + 1) continue;
    const ids = byEnd.get(end) ?? [];
    ids.push(id);
    byEnd.set(end, ids);
  }
  return [...byEnd.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([end, ids]) => ({ start: frame + 1, maxFrames: end - frame - 1, reverse: false, objIds: ids.sort((a, b) => a - b) }));
}

/** The frames a pass visits, in order. */
export function passFrames(p: Pass, numFrames: number): number[] {
  return propagationOrder(p.start, p.maxFrames, numFrames, p.reverse);
}

export interface ResumePlan {
  passes: Pass[];
  /** frames of the request already tracked since the last prompt change, left out (per object) */
  skipped: number;
  /** where the first pass now starts, when that is not where the request starts; null otherwise */
  resumedAt: number | null;
}

/**
 * The passes cut down to what is stale: for each object, the pass begins at the first frame (in
 * the pass's order) that `current(objId, reverse)` does not hold, and an object with none left
 * drops out. Tracking is per object in SAM 2, so splitting a pass by start frame changes no mask.
 */
export function resumePasses(passes: readonly Pass[], current: (objId: number, reverse: boolean) => ReadonlySet<number>, numFrames: number): ResumePlan {
  const out: Pass[] = [];
  let skipped = 0;
  for (const p of passes) {
    const frames = passFrames(p, numFrames);
    const byStart = new Map<number, number[]>();
    for (const id of p.objIds) {
      const cur = current(id, p.reverse);
      let i = frames.findIndex((f) => !cur.has(f));
      // a reverse pass cannot start at frame 0 (the reference then visits nothing): start one earlier
      if (i > 0 && p.reverse && frames[i] === 0) i--;
      skipped += i < 0 ? frames.length : i;
      if (i < 0) continue;
      byStart.set(i, [...(byStart.get(i) ?? []), id]);
    }
    for (const [i, ids] of [...byStart.entries()].sort((a, b) => a[0] - b[0])) {
      out.push({ start: frames[i]!, maxFrames: p.maxFrames - i, reverse: p.reverse, objIds: ids });
    }
  }
  const first = passes[0];
  const resumedAt = out.length && first && (out[0]!.start !== first.start || out[0]!.reverse !== first.reverse) ? out[0]!.start : null;
  return { passes: out, skipped, resumedAt };
}
