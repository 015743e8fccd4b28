// Serializable per-(object, frame) state of the engine, so the services can keep it in the
// project database and put it back later (reopening a project, undo/redo, a crashed worker).
// A snapshot holds what the engine keeps for an evicted output (pointer, score, run-length
// summary of the low-res mask with its mean logits) plus, for conditioning frames, the exact
// low-res logits and the prompt that made them. Memory features are never stored: the engine
// recomputes them on demand (engine-core ensureMemory), exactly as for an evicted output, so a
// restored engine behaves like one whose output budget is 0 (docs/engine.md measures that).
import type { Sam2Core } from './engine-core';
import { EngineError } from './errors';
import type { MaskSummary } from './low-res-rle';
import { currentOutput, type FrameOut, type ObjectState } from './object-state';
import type { StoredPoints } from './points';

export interface OutputSnapshot {
  frame: number;
  /** a conditioning (prompted) output: restored with its exact logits */
  isCond: boolean;
  /** the direction propagation last visited the frame in, null when it never did */
  tracked: 'forward' | 'reverse' | null;
  score: number;
  iou: number;
  /** the object pointer [C] (a copy) */
  objPtr: Float32Array;
  summary: MaskSummary;
  /** binarize flag the memory is (re)encoded with */
  memFromPrompt: boolean;
  /** exact low-res logits [4h·4w]: conditioning outputs only */
  lowRes: Float32Array | null;
  /** the frame's user points in model space (conditioning frames prompted by points) */
  points: StoredPoints | null;
  /** the conditioning frame was prompted by a mask */
  maskPrompt: boolean;
}

function copySummary(s: MaskSummary): MaskSummary {
  return { runs: s.runs.slice(), fgMean: s.fgMean, bgMean: s.bgMean };
}

/** The object's current output on a frame as a snapshot (fresh arrays), or null when it has none. */
export function snapshotOf(core: Sam2Core, obj: ObjectState, frame: number): OutputSnapshot | null {
  const cur = currentOutput(obj, frame);
  if (!cur) return null;
  const o = cur.out;
  const t = obj.tracked.get(frame);
  const pts = obj.points.get(frame);
  return {
    frame,
    isCond: cur.isCond,
    tracked: t ? (t.reverse ? 'reverse' : 'forward') : null,
    score: o.score,
    iou: o.iou,
    objPtr: o.objPtr.slice(),
    summary: copySummary(o.summary),
    memFromPrompt: o.memFromPrompt,
    lowRes: cur.isCond ? core.lowResOf(o).slice() : null,
    points: cur.isCond && pts ? { coords: [...pts.coords], labels: [...pts.labels] } : null,
    maskPrompt: cur.isCond && obj.maskFrames.has(frame),
  };
}

/** Snapshots of every output of the object (or of the given frames), ascending by frame. */
export function exportSnapshots(core: Sam2Core, obj: ObjectState, frames?: readonly number[]): OutputSnapshot[] {
  const all = frames ?? [...new Set([...obj.cond.keys(), ...obj.nonCond.keys(), ...obj.temp.keys()])];
  return [...all]
    .sort((a, b) => a - b)
    .map((f) => snapshotOf(core, obj, f))
    .filter((s): s is OutputSnapshot => s !== null);
}

/** Forgets everything the object has on one frame: prompt, outputs, tracked flag, candidates there. */
export function clearObjectFrame(core: Sam2Core, obj: ObjectState, frame: number): void {
  obj.points.delete(frame);
  obj.maskFrames.delete(frame);
  obj.temp.delete(frame);
  obj.cond.delete(frame);
  const n = obj.nonCond.get(frame);
  if (n) {
    core.lru.forget(n);
    obj.nonCond.delete(frame);
  }
  obj.tracked.delete(frame);
  if (obj.candidates?.frame === frame) obj.candidates = null;
}

/** Throws BAD_ARGUMENT for a snapshot that cannot belong to this engine (wrong sizes, bad frame). */
export function checkSnapshot(core: Sam2Core, s: OutputSnapshot, numFrames: number): void {
  const bad = (what: string): never => {
    throw new EngineError('BAD_ARGUMENT', `output snapshot of frame ${JSON.stringify(s?.frame)}: ${what}`);
  };
  if (!s || typeof s !== 'object') bad('must be an object');
  if (!Number.isInteger(s.frame) || s.frame < 0 || s.frame >= numFrames) bad(`frame must be in 0..${numFrames - 1}`);
  if (!(s.objPtr instanceof Float32Array) || s.objPtr.length !== core.m.hiddenDim)
    bad(`objPtr must be a Float32Array of ${core.m.hiddenDim} values (another model pack made it?)`);
  if (!Number.isFinite(s.score) || !Number.isFinite(s.iou)) bad('score and iou must be finite');
  const L2 = core.L * core.L;
  if (!(s.summary?.runs instanceof Uint32Array)) bad('summary.runs must be a Uint32Array');
  let sum = 0;
  for (const r of s.summary.runs) sum += r;
  if (sum !== L2) bad(`summary runs cover ${sum} values, the model's low-res mask has ${L2}`);
  if (s.isCond && !(s.lowRes instanceof Float32Array && s.lowRes.length === L2)) bad(`a conditioning output needs its ${L2} low-res logits`);
  if (s.tracked !== null && s.tracked !== 'forward' && s.tracked !== 'reverse') bad('tracked must be forward, reverse or null');
  if (s.points && s.points.coords.length !== 2 * s.points.labels.length) bad('points need two coordinates per label');
}

/**
 * Puts snapshots back: first every frame of `clear` (and of the entries) is cleared for the
 * object, then each entry becomes its output there — conditioning entries with their exact
 * logits, the others as evicted outputs (summary only). Memory features are recomputed when
 * needed. Validates everything before changing anything.
 */
export function importSnapshots(
  core: Sam2Core,
  obj: ObjectState,
  entries: readonly OutputSnapshot[],
  clear: readonly number[] | 'all',
  numFrames: number,
): void {
  for (const e of entries) checkSnapshot(core, e, numFrames);
  const frames =
    clear === 'all' ? [...new Set([...obj.cond.keys(), ...obj.nonCond.keys(), ...obj.temp.keys(), ...obj.points.keys(), ...obj.tracked.keys()])] : clear;
  for (const f of frames) clearObjectFrame(core, obj, f);
  if (clear === 'all') obj.candidates = null;
  for (const e of entries) {
    clearObjectFrame(core, obj, e.frame);
    const out: FrameOut = {
      objPtr: e.objPtr.slice(),
      score: e.score,
      iou: e.iou,
      summary: copySummary(e.summary),
      predMasks: e.isCond ? e.lowRes!.slice() : null,
      maskmem: null,
      memFromPrompt: e.memFromPrompt,
    };
    if (e.isCond) {
      obj.cond.set(e.frame, out);
      if (e.points) obj.points.set(e.frame, { coords: [...e.points.coords], labels: [...e.points.labels] });
      if (e.maskPrompt) obj.maskFrames.add(e.frame);
    } else {
      obj.nonCond.set(e.frame, out);
    }
    if (e.tracked) obj.tracked.set(e.frame, { reverse: e.tracked === 'reverse' });
  }
}

/** True when the object has nothing left (no outputs, no prompts): the predictor then drops it. */
export function isEmptyObject(obj: ObjectState): boolean {
  return obj.cond.size === 0 && obj.nonCond.size === 0 && obj.temp.size === 0 && obj.points.size === 0 && obj.maskFrames.size === 0;
}
