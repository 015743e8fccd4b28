// Putting the database's truth back into the engine (reopen, undo/redo, a new worker, a cancelled
// run): each output's stored snapshot is imported; prompted frames the engine cannot take from a
// snapshot (masks made by another pack, or by a tool that stored no engine state) are prompted
// again from their stored prompt, and their rows updated. Memory features are recomputed by the
// engine when needed, so a restored engine behaves like one whose output budget is 0.
import type { OutputSnapshot } from '../../core/sam2/predictor';
import { decodeMask } from '../../core/masks/rle';
import type { Cell, ProjectStore } from '../../core/store';
import type { EngineClient } from '../../engine/engine-client';
import { condOutputOf, maskPromptWriteOf, maskWriteOf, orderedSnapshots } from './conversions';

/** Snapshots per import message: keeps single messages small for long videos. */
const CHUNK = 2000;

export interface SyncContext {
  store: ProjectStore;
  client: EngineClient;
  packId: string;
  size: { width: number; height: number };
}

async function importChunked(client: EngineClient, objectId: number, entries: OutputSnapshot[], clear: number[] | 'all'): Promise<void> {
  if (entries.length === 0) {
    await client.importOutputs(objectId, [], clear);
    return;
  }
  for (let i = 0; i < entries.length; i += CHUNK) {
    await client.importOutputs(objectId, entries.slice(i, i + CHUNK), i === 0 ? clear : []);
  }
}

/** Prompts a frame again from its stored prompt (its snapshot is unusable) and stores the result. */
async function replayPrompt(ctx: SyncContext, objectId: number, frame: number): Promise<void> {
  const p = ctx.store.prompts.get(objectId, frame);
  if (!p) return;
  const out = { objIds: [objectId], snapshot: true };
  const r = p.mask
    ? await ctx.client.addMask(frame, objectId, decodeMask(p.mask), out)
    : await ctx.client.addPoints(frame, objectId, { points: p.points, labels: p.labels, box: p.box, clearOld: true }, out);
  const o = r.objects[0]!;
  const source = ctx.store.masks.get(objectId, frame)?.source ?? 'prompt';
  const meta = { source, packId: ctx.packId };
  ctx.store.transaction(() => {
    ctx.store.masks.put(p.mask ? maskPromptWriteOf(o, frame, p.mask, ctx.size, meta) : maskWriteOf(o, frame, ctx.size, meta));
    ctx.store.engine.setCond(objectId, frame, condOutputOf(o.snapshot!));
  });
}

/** The whole object from the database (its engine state replaced). */
export async function syncObject(ctx: SyncContext, objectId: number): Promise<void> {
  const rows = ctx.store.engine.rows(objectId);
  const { entries } = orderedSnapshots(rows, ctx.packId);
  await importChunked(ctx.client, objectId, entries, 'all');
  const restored = new Set(entries.filter((e) => e.isCond).map((e) => e.frame));
  for (const p of ctx.store.prompts.forObject(objectId)) {
    if (!restored.has(p.frame)) await replayPrompt(ctx, objectId, p.frame);
  }
}

/** Every live object, after the engine lost its state (a new video, pack or worker). */
export async function syncAll(ctx: SyncContext): Promise<void> {
  await ctx.client.reset();
  for (const o of ctx.store.objects.list()) await syncObject(ctx, o.id);
}

/** Some cells (after undo/redo or a cancelled run): their frames are cleared and re-imported per object. */
export async function syncCells(ctx: SyncContext, cells: readonly Cell[]): Promise<void> {
  const byObject = new Map<number, number[]>();
  for (const c of cells) byObject.set(c.objectId, [...(byObject.get(c.objectId) ?? []), c.frame]);
  for (const [objectId, frames] of byObject) {
    if (!ctx.store.objects.get(objectId)) {
      await ctx.client.importOutputs(objectId, [], 'all');
      continue;
    }
    const { entries } = orderedSnapshots(ctx.store.engine.rowsAt(objectId, frames), ctx.packId);
    await importChunked(ctx.client, objectId, entries, frames);
  }
}
