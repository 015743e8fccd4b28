// segment.keep: each kept proposal becomes a new object whose mask prompt on the frame is the
// proposal, stored exactly as prompts.addMask stores one (mask row with its engine state, the
// conditioning output, the prompt, the call in the click history; source 'prompt'), and all of
// it is ONE undo step. The engine runs first; if it or the database fails part-way, the new
// objects are removed from both, so a failed keep leaves nothing behind.
import type { ObjectInfo, Proposal } from '../../api/contract';
import { decodeMask } from '../../core/masks/rle';
import type { ObjectFrameResult } from '../../core/sam2/predictor';
import { condOutputOf, maskPromptWriteOf } from './conversions';
import type { SyncContext } from './engine-sync';
import type { UndoHistory } from './history';
import { keepLabel } from './labels';
import { nextObjectColors } from '../../shared/palette';

export interface KeepHost {
  readonly history: UndoHistory;
  /** the engine could not be put back in step with the database: restore it fully next time */
  invalidateEngine(): void;
  log(line: string): void;
}

export async function keepProposals(host: KeepHost, ctx: SyncContext, frame: number, chosen: readonly Proposal[]): Promise<ObjectInfo[]> {
  const { store } = ctx;
  const objects = store.transaction(() => {
    const colors = nextObjectColors(
      store.objects.list().map((o) => o.color),
      chosen.length,
    );
    return colors.map((color) => store.objects.add({ color }));
  });
  const entry = host.history.newId();
  try {
    const results: ObjectFrameResult[] = [];
    for (const [i, p] of chosen.entries()) {
      const id = objects[i]!.id;
      const r = await ctx.client.addMask(frame, id, decodeMask(p.rle), { objIds: [id], snapshot: true });
      results.push(r.objects[0]!);
    }
    store.transaction(() => {
      for (const [i, o] of results.entries()) {
        const objectId = objects[i]!.id;
        const rle = chosen[i]!.rle;
        store.masks.put(maskPromptWriteOf(o, frame, rle, ctx.size, { source: 'prompt', packId: ctx.packId }));
        store.engine.setCond(objectId, frame, condOutputOf(o.snapshot!));
        store.prompts.set({ objectId, frame, points: [], labels: [], box: null, mask: rle });
        store.promptCalls.add({ objectId, frame, op: 'mask', args: {}, mask: rle, packId: ctx.packId, undoEntry: entry });
      }
    });
  } catch (err) {
    await forget(host, ctx, objects);
    throw err;
  }
  host.history.push({ kind: 'objects-add', id: entry, label: keepLabel(objects.length, frame), objectIds: objects.map((o) => o.id) });
  return objects;
}

/** A failed keep: the engine drops the new objects and the database deletes them for good. */
async function forget(host: KeepHost, ctx: SyncContext, objects: readonly ObjectInfo[]): Promise<void> {
  for (const o of objects) {
    await ctx.client.importOutputs(o.id, [], 'all').catch(() => host.invalidateEngine());
  }
  try {
    ctx.store.transaction(() => {
      for (const o of objects) ctx.store.objects.purge(o.id);
    });
  } catch (e) {
    host.log(`[workflow] could not remove the objects of a failed keep (${objects.map((o) => o.id).join(', ')}): ${(e as Error).message}`);
  }
}
