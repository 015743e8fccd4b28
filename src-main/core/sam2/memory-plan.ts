// Which stored outputs one object's memory attention reads at frame f (spec 7.1–7.3, official
// predictor): conditioning frames (row num_maskmem − 1), the previous num_maskmem − 1 tracked
// frames in the direction of travel (row t_rel − 1, missing ones skipped), and up to
// max_obj_ptrs pointers with their signed temporal distances. Pure; unit-tested table-style.

export type MemorySource = 'cond' | 'nonCond' | 'unselected';

export interface SpatialMemory {
  frame: number;
  /** row of the temporal encoding table */
  row: number;
  source: MemorySource;
}

export interface PointerMemory {
  frame: number;
  /** signed temporal distance (≥ 0 after the past-only filter) */
  dist: number;
  source: MemorySource;
}

export interface MemoryPlan {
  spatial: SpatialMemory[];
  pointers: PointerMemory[];
  /** divisor of the pointer distances: min(numFrames, maxObjPtrs) − 1 */
  tDiffMax: number;
}

export interface MemoryPlanInput {
  frame: number;
  reverse: boolean;
  numFrames: number;
  /** the object's conditioning frames, in insertion order */
  condFrames: readonly number[];
  /** whether the object has a non-conditioning output at frame t */
  hasNonCond: (t: number) => boolean;
  numMaskmem: number;
  /** −1: all conditioning frames */
  maxCondFrames: number;
  maxObjPtrs: number;
}

/** The reference's select_closest_cond_frames: which cond frames attend, which are left over. */
export function selectCondFrames(frame: number, condFrames: readonly number[], maxCondFrames: number): { selected: number[]; unselected: number[] } {
  if (maxCondFrames === -1 || condFrames.length <= maxCondFrames) return { selected: [...condFrames], unselected: [] };
  const selected: number[] = [];
  let before: number | null = null;
  let after: number | null = null;
  for (const t of condFrames) {
    if (t < frame && (before === null || t > before)) before = t;
    if (t >= frame && (after === null || t < after)) after = t;
  }
  if (before !== null) selected.push(before);
  if (after !== null) selected.push(after);
  // stable sort by distance, as Python's sorted
  const rest = condFrames.filter((t) => !selected.includes(t)).map((t, i) => ({ t, i }));
  rest.sort((a, b) => Math.abs(a.t - frame) - Math.abs(b.t - frame) || a.i - b.i);
  for (const r of rest.slice(0, Math.max(0, maxCondFrames - selected.length))) selected.push(r.t);
  return { selected, unselected: condFrames.filter((t) => !selected.includes(t)) };
}

export function planMemory(inp: MemoryPlanInput): MemoryPlan {
  const { frame, reverse, numFrames, numMaskmem } = inp;
  const { selected, unselected } = selectCondFrames(frame, inp.condFrames, inp.maxCondFrames);
  const unselectedSet = new Set(unselected);
  const lookup = (t: number): MemorySource | null => (inp.hasNonCond(t) ? 'nonCond' : unselectedSet.has(t) ? 'unselected' : null);

  const spatial: SpatialMemory[] = selected.map((t) => ({ frame: t, row: numMaskmem - 1, source: 'cond' as const }));
  for (let tRel = numMaskmem - 1; tRel >= 1; tRel--) {
    const t = reverse ? frame + tRel : frame - tRel;
    const src = lookup(t);
    if (src) spatial.push({ frame: t, row: tRel - 1, source: src });
  }

  const maxPtr = Math.min(numFrames, inp.maxObjPtrs);
  const sign = reverse ? -1 : 1;
  const pointers: PointerMemory[] = [];
  for (const t of selected) {
    if (reverse ? t >= frame : t <= frame) pointers.push({ frame: t, dist: (frame - t) * sign, source: 'cond' });
  }
  for (let tDiff = 1; tDiff < maxPtr; tDiff++) {
    const t = reverse ? frame + tDiff : frame - tDiff;
    if (t < 0 || t >= numFrames) break;
    const src = lookup(t);
    if (src) pointers.push({ frame: t, dist: tDiff, source: src });
  }
  return { spatial, pointers, tDiffMax: maxPtr - 1 };
}

/** Frames a propagation visits, in order (spec 8.6): maxFrames = N visits up to N + 1 frames. */
export function propagationOrder(start: number, maxFrames: number, numFrames: number, reverse: boolean): number[] {
  const out: number[] = [];
  if (reverse) {
    if (start === 0) return out; // the reference processes nothing when reversing from frame 0
    const end = Math.max(start - maxFrames, 0);
    for (let f = start; f >= end; f--) out.push(f);
  } else {
    const end = Math.min(start + maxFrames, numFrames - 1);
    for (let f = start; f <= end; f++) out.push(f);
  }
  return out;
}
