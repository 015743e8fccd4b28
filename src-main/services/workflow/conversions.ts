// Conversions between the engine's results and snapshots, the store's rows and the API's shapes.
// Pure (apart from RLE encoding), unit-tested.
import type { MaskCandidates, MaskSource, ObjectMask, Rle } from '../../api/contract';
import { encodeMask } from '../../core/masks/rle';
import type { Candidates, ObjectFrameResult, OutputSnapshot } from '../../core/sam2/predictor';
import type { CondOutput, EngineRow, MaskEngineState, MaskWrite } from '../../core/store';

export function engineStateOf(s: OutputSnapshot): MaskEngineState {
  return { objPtr: s.objPtr, summary: s.summary, memFromPrompt: s.memFromPrompt, tracked: s.tracked, iou: s.iou };
}

export function condOutputOf(s: OutputSnapshot): CondOutput {
  if (!s.isCond || !s.lowRes) throw new Error(`internal: frame ${s.frame} is not a conditioning output`);
  return { logits: s.lowRes, points: s.points, maskPrompt: s.maskPrompt };
}

/** The mask row of an engine result (which must carry its snapshot). */
export function maskWriteOf(
  o: ObjectFrameResult,
  frame: number,
  size: { width: number; height: number },
  meta: { source: MaskSource; packId: string; runId?: number | null },
): MaskWrite {
  if (!o.mask || !o.snapshot) throw new Error(`internal: the engine result of object ${o.objId} on frame ${frame} has no mask or snapshot`);
  return {
    objectId: o.objId,
    frame,
    rle: encodeMask(o.mask, size.height, size.width),
    score: o.scoreLogit,
    source: meta.source,
    packId: meta.packId,
    runId: meta.runId ?? null,
    engine: engineStateOf(o.snapshot),
  };
}

/**
 * The mask row of a mask prompt: exactly the given mask (as painted, imported or kept), with the
 * engine's state of that output. The engine's own video-size output would be its low-res logits
 * upsampled, which moves edges by up to a pixel; the prompt frame shows what the user gave.
 */
export function maskPromptWriteOf(
  o: ObjectFrameResult,
  frame: number,
  rle: Rle,
  size: { width: number; height: number },
  meta: { source: MaskSource; packId: string },
): MaskWrite {
  return { ...maskWriteOf(o, frame, size, meta), rle };
}

/** A prompt on a frame that already had a propagated (or corrected) mask is a correction. */
export function promptSource(previous: MaskSource | null | undefined): MaskSource {
  return previous === 'propagated' || previous === 'corrected' || previous === 'fixed' ? 'corrected' : 'prompt';
}

/**
 * A database row as an engine snapshot, or null when the engine cannot take it (written without
 * engine state, or by another pack, or a conditioning row whose logits are missing).
 */
export function snapshotOfRow(row: EngineRow, packId: string): OutputSnapshot | null {
  if (!row.engine || row.packId !== packId) return null;
  const e = row.engine;
  return {
    frame: row.frame,
    isCond: row.cond !== null,
    tracked: e.tracked,
    score: row.score,
    iou: e.iou,
    objPtr: e.objPtr,
    summary: e.summary,
    memFromPrompt: e.memFromPrompt,
    lowRes: row.cond?.logits ?? null,
    points: row.cond?.points ?? null,
    maskPrompt: row.cond?.maskPrompt ?? false,
  };
}

/** Snapshots in the order the engine needs: conditioning outputs in their original order first, then the rest by frame. */
export function orderedSnapshots(rows: readonly EngineRow[], packId: string): { entries: OutputSnapshot[]; unusable: EngineRow[] } {
  const cond: { seq: number; s: OutputSnapshot }[] = [];
  const other: OutputSnapshot[] = [];
  const unusable: EngineRow[] = [];
  for (const r of rows) {
    const s = snapshotOfRow(r, packId);
    if (!s) unusable.push(r);
    else if (s.isCond) cond.push({ seq: r.cond!.seq, s });
    else other.push(s);
  }
  cond.sort((a, b) => a.seq - b.seq);
  return { entries: [...cond.map((c) => c.s), ...other], unusable };
}

export function apiCandidates(c: Candidates | null, size: { width: number; height: number }): MaskCandidates | null {
  if (!c) return null;
  return { objectId: c.objId, frame: c.frame, masks: c.masks.map((m) => encodeMask(m, size.height, size.width)), iouScores: [...c.iou], chosen: c.chosen };
}

/** An engine result as the API's ObjectMask (propagation's masks.updated events). */
export function objectMaskOf(o: ObjectFrameResult, size: { width: number; height: number }, source: MaskSource): ObjectMask {
  return { objectId: o.objId, rle: encodeMask(o.mask!, size.height, size.width), score: o.scoreLogit, source };
}
