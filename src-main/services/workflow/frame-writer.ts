// One propagated frame into SQLite, in one transaction: the new masks (RLE at video size, source
// 'propagated', run and pack id, engine state; imported fixed masks are never replaced), the "tracked" flag of prompted frames (their
// masks are never rewritten), the touched cells' previous content for undo, and the run's
// progress. Answers the frame's masks as masks.updated sends them.
import type { MaskSource, ObjectMask } from '../../api/contract';
import type { PropagatedFrame } from '../../core/sam2/predictor';
import type { Cell, MaskWrite, ProjectStore } from '../../core/store';
import { maskWriteOf, objectMaskOf } from './conversions';

export interface FrameWriteMeta {
  /** undo entry of the run */
  entry: number;
  runId: number;
  packId: string;
  size: { width: number; height: number };
}

/** Whether propagation leaves a frame's stored mask alone (imported as fixed). Pure. */
export function propagationKeeps(source: MaskSource | undefined): boolean {
  return source === 'fixed';
}

export function writePropagatedFrame(store: ProjectStore, f: PropagatedFrame, meta: FrameWriteMeta, framesDone: number): ObjectMask[] {
  const rows: MaskWrite[] = [];
  const prompted: ObjectMask[] = [];
  for (const o of f.objects) {
    if (!o.hasOutput || !o.snapshot) continue;
    if (!o.isCond) {
      // an imported fixed mask stays as it is: the engine's output there is not stored
      if (propagationKeeps(store.masks.get(o.objId, f.frame)?.source)) continue;
      rows.push(maskWriteOf(o, f.frame, meta.size, { source: 'propagated', packId: meta.packId, runId: meta.runId }));
      continue;
    }
    prompted.push(objectMaskOf(o, meta.size, store.masks.get(o.objId, f.frame)?.source ?? 'prompt'));
  }
  const cells: Cell[] = f.objects.map((o) => ({ objectId: o.objId, frame: f.frame }));
  store.transaction(() => {
    store.undoCells.capture(meta.entry, 0, cells);
    store.masks.putMany(rows);
    for (const o of f.objects) if (o.isCond && o.snapshot?.tracked) store.masks.setTracked(o.objId, f.frame, o.snapshot.tracked);
    store.runs.progress(meta.runId, framesDone);
  });
  const masks = [...rows.map((r): ObjectMask => ({ objectId: r.objectId, rle: r.rle, score: r.score, source: r.source })), ...prompted];
  return masks.sort((a, b) => a.objectId - b.objectId);
}
