// Which engine passes a propagation or re-propagation makes. Pure, table-tested.
// - propagate: forward from the frame to the range's end, backward to its start, or both
//   (forward first, then backward from the same frame), for the given objects.
// - re-propagate from f: per object, frames f+1 … (its next conditioning frame after f) − 1, or
//   the last frame; objects with the same end share one pass. Prompted frames are never in it.
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
  return [...byEnd.entries()].sort((a, b) => a[0] - b[0]).map(([end, ids]) => ({ start: frame + 1, maxFrames: end - frame - 1, reverse: false, objIds: ids.sort((a, b) => a - b) }));
}

/** The frames a pass visits, in order. */
export function passFrames(p: Pass, numFrames: number): number[] {
  return propagationOrder(p.start, p.maxFrames, numFrames, p.reverse);
}
