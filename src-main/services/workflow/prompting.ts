// Prompts on one frame for one object: points/box, a chosen candidate, a mask, clearing the
// frame. Each call runs on the engine, then lands in SQLite in one transaction — the mask row
// with its engine state, the conditioning output, the prompt, the call in the click history,
// and the cell's previous content for undo. If the database refuses (e.g. a full disk), the
// engine's view of the cell is put back from the database and nothing changed.
import type { FrameMasks, MaskCandidates, MethodArgs, Rle } from '../../api/contract';
import { decodeMask, encodeMask } from '../../core/masks/rle';
import { subtractMask } from '../../core/masks/mask-ops';
import type { ObjectFrameResult, PromptResult } from '../../core/sam2/predictor';
import type { Cell } from '../../core/store';
import { apiCandidates, condOutputOf, maskPromptWriteOf, maskWriteOf, promptSource } from './conversions';
import type { SyncContext } from './engine-sync';
import type { UndoHistory } from './history';
import { promptLabel } from './labels';

export interface PromptHost {
  readonly history: UndoHistory;
  /** the action's writes plus the undo capture of `cells`, in one transaction */
  commitCells(ctx: SyncContext, entry: number, cells: Cell[], write: () => void): Promise<void>;
  frameMasks(frame: number): FrameMasks;
}

const OUT = (objectId: number) => ({ objIds: [objectId], snapshot: true });

/** Stores an engine result as the frame's new prompt output for the object. */
async function commitPromptResult(
  host: PromptHost,
  ctx: SyncContext,
  o: ObjectFrameResult,
  frame: number,
  label: string,
  prompt: { points: [number, number][]; labels: number[]; box: [number, number, number, number] | null; mask: Rle | null },
  call: { op: 'points' | 'mask' | 'candidate'; args: Record<string, unknown>; mask?: Rle },
  more: {
    /** more writes of the same action, after the prompt's (in the same transaction) */
    extra?: () => void;
    /** the mask to store instead of the engine's (a kept candidate, exactly as it was offered) */
    rle?: Rle;
  } = {},
): Promise<void> {
  const { store } = ctx;
  const objectId = o.objId;
  const entry = host.history.newId();
  const source = promptSource(store.masks.get(objectId, frame)?.source);
  await host.commitCells(ctx, entry, [{ objectId, frame }], () => {
    const meta = { source, packId: ctx.packId };
    store.masks.put(more.rle ? maskPromptWriteOf(o, frame, more.rle, ctx.size, meta) : maskWriteOf(o, frame, ctx.size, meta));
    store.engine.setCond(objectId, frame, condOutputOf(o.snapshot!));
    store.prompts.set({ objectId, frame, ...prompt });
    store.promptCalls.add({ objectId, frame, op: call.op, args: call.args, mask: call.mask ?? null, packId: ctx.packId, undoEntry: entry });
    more.extra?.();
  });
  host.history.push({ kind: 'cells', id: entry, label, objectIds: [objectId] });
}

export async function addPoints(
  host: PromptHost,
  ctx: SyncContext,
  a: MethodArgs<'prompts.add'>,
): Promise<{ frame: FrameMasks; candidates: MaskCandidates | null }> {
  const clearOld = a.clearOld ?? true;
  const before = ctx.store.prompts.get(a.objectId, a.frame);
  const r: PromptResult = await ctx.client.addPoints(
    a.frame,
    a.objectId,
    { points: a.points, labels: a.labels, box: a.box ?? null, clearOld },
    OUT(a.objectId),
  );
  // the frame's prompt in video pixels, as the engine now holds it (clearOld false appends)
  const keep = !clearOld && before && !before.mask;
  const prompt = {
    points: keep ? [...before.points, ...a.points] : a.points,
    labels: keep ? [...before.labels, ...a.labels] : a.labels,
    box: keep ? before.box : (a.box ?? null),
    mask: null,
  };
  const previousBox = before?.box ?? null;
  const label = promptLabel(
    {
      op: 'points',
      points: prompt.points.length,
      labels: prompt.labels,
      box: prompt.box !== null,
      previousPoints: before?.points.length ?? 0,
      previousBox: previousBox !== null,
      boxChanged: JSON.stringify(previousBox) !== JSON.stringify(prompt.box),
    },
    a.frame,
  );
  const candidates = apiCandidates(r.candidates, ctx.size);
  // a single click's alternatives are kept with the project (Tab cycles them after a reopen);
  // writing the prompt above dropped the frame's older ones
  const alternatives = candidates && candidates.masks.length > 1 ? candidates : null;
  await commitPromptResult(
    host,
    ctx,
    r.objects[0]!,
    a.frame,
    label,
    prompt,
    { op: 'points', args: { points: a.points, labels: a.labels, box: a.box ?? null, clearOld } },
    {
      extra: () =>
        alternatives &&
        ctx.store.candidates.set({
          objectId: a.objectId,
          frame: a.frame,
          packId: ctx.packId,
          masks: alternatives.masks,
          scores: alternatives.iouScores,
          chosen: alternatives.chosen,
        }),
    },
  );
  return { frame: host.frameMasks(a.frame), candidates };
}

/** The click's candidates kept with the project, while they still belong to the frame's prompt and this pack made them. */
export function storedCandidates(ctx: Pick<SyncContext, 'store' | 'packId'>, objectId: number, frame: number): MaskCandidates | null {
  const c = ctx.store.candidates.get(objectId, frame);
  if (!c || c.packId !== ctx.packId) return null;
  return { objectId, frame, masks: c.masks, iouScores: c.scores, chosen: c.chosen };
}

export async function chooseCandidate(host: PromptHost, ctx: SyncContext, a: MethodArgs<'prompts.chooseCandidate'>): Promise<FrameMasks> {
  const p = ctx.store.prompts.get(a.objectId, a.frame);
  const kept = storedCandidates(ctx, a.objectId, a.frame);
  let r;
  try {
    r = await ctx.client.chooseCandidate(a.frame, a.objectId, a.index, OUT(a.objectId));
  } catch (err) {
    // The engine forgot the click's alternatives (the project was reopened, or a new worker):
    // the stored click, given again, makes them again, then the choice applies.
    const single = p && p.points.length === 1 && !p.box && !p.mask;
    if ((err as { code?: string }).code !== 'NO_CANDIDATES' || !single || !kept) throw err;
    await ctx.client.addPoints(a.frame, a.objectId, { points: p.points, labels: p.labels, box: null, clearOld: true }, OUT(a.objectId));
    r = await ctx.client.chooseCandidate(a.frame, a.objectId, a.index, OUT(a.objectId));
  }
  const prompt = { points: p?.points ?? [], labels: p?.labels ?? [], box: p?.box ?? null, mask: null };
  // The mask stored is the kept candidate exactly as it was offered: a click given again to a
  // restored engine starts from the frame's restored output, so its decode may differ slightly.
  await commitPromptResult(
    host,
    ctx,
    r.objects[0]!,
    a.frame,
    promptLabel({ op: 'candidate', index: a.index }, a.frame),
    prompt,
    { op: 'candidate', args: { index: a.index } },
    {
      rle: kept?.masks[a.index],
      extra: () => ctx.store.candidates.choose(a.objectId, a.frame, a.index),
    },
  );
  return host.frameMasks(a.frame);
}

/**
 * A mask as the object's prompt on the frame (SAM 2's add_new_mask): the frame becomes a
 * conditioning frame whose stored mask is exactly the given one. With `exclusive`, the mask's
 * pixels are also taken out of every other unlocked object's mask on that frame (each becomes a
 * mask prompt of what is left); all of it is one undo step.
 */
export async function addMask(host: PromptHost, ctx: SyncContext, a: MethodArgs<'prompts.addMask'>): Promise<FrameMasks> {
  const painted = decodeMask(a.rle);
  const edits: { objectId: number; rle: Rle; mask: Uint8Array }[] = [{ objectId: a.objectId, rle: a.rle, mask: painted }];
  if (a.exclusive) {
    for (const other of exclusiveEdits(ctx, a.objectId, a.frame, painted)) edits.push(other);
  }
  const results: ObjectFrameResult[] = [];
  for (const e of edits) results.push((await ctx.client.addMask(a.frame, e.objectId, e.mask, OUT(e.objectId))).objects[0]!);
  const { store } = ctx;
  const entry = host.history.newId();
  const sources = edits.map((e) => promptSource(store.masks.get(e.objectId, a.frame)?.source));
  await host.commitCells(
    ctx,
    entry,
    edits.map((e) => ({ objectId: e.objectId, frame: a.frame })),
    () => {
      for (const [i, e] of edits.entries()) {
        const o = results[i]!;
        store.masks.put(maskPromptWriteOf(o, a.frame, e.rle, ctx.size, { source: sources[i]!, packId: ctx.packId }));
        store.engine.setCond(e.objectId, a.frame, condOutputOf(o.snapshot!));
        store.prompts.set({ objectId: e.objectId, frame: a.frame, points: [], labels: [], box: null, mask: e.rle });
        store.promptCalls.add({
          objectId: e.objectId,
          frame: a.frame,
          op: 'mask',
          args: i === 0 ? { exclusive: !!a.exclusive } : { exclusiveOf: a.objectId },
          mask: e.rle,
          packId: ctx.packId,
          undoEntry: entry,
        });
      }
    },
  );
  host.history.push({ kind: 'cells', id: entry, label: promptLabel({ op: 'mask' }, a.frame), objectIds: edits.map((e) => e.objectId) });
  return host.frameMasks(a.frame);
}

/** The other unlocked objects whose mask on the frame overlaps `painted`, with what is left of it. */
function exclusiveEdits(ctx: SyncContext, objectId: number, frame: number, painted: Uint8Array): { objectId: number; rle: Rle; mask: Uint8Array }[] {
  const out: { objectId: number; rle: Rle; mask: Uint8Array }[] = [];
  for (const m of ctx.store.masks.forFrame(frame)) {
    if (m.objectId === objectId || ctx.store.objects.get(m.objectId)?.locked) continue;
    const left = subtractMask(decodeMask(m.rle), painted);
    if (left) out.push({ objectId: m.objectId, rle: encodeMask(left, m.rle.h, m.rle.w), mask: left });
  }
  return out;
}

/**
 * Removes the object's prompt on the frame together with its output there (engine and database):
 * the frame is empty for that object until a propagation fills it. Nothing to clear: no change.
 */
export async function clearFrame(host: PromptHost, ctx: SyncContext, a: MethodArgs<'prompts.clearFrame'>): Promise<FrameMasks> {
  const { store } = ctx;
  const { objectId, frame } = a;
  if (!store.prompts.get(objectId, frame)) return host.frameMasks(frame);
  await ctx.client.importOutputs(objectId, [], [frame]);
  const entry = host.history.newId();
  await host.commitCells(ctx, entry, [{ objectId, frame }], () => {
    store.masks.remove(objectId, frame);
    store.engine.removeCond(objectId, frame);
    store.prompts.remove(objectId, frame);
    store.promptCalls.add({ objectId, frame, op: 'clear', args: {}, packId: ctx.packId, undoEntry: entry });
  });
  host.history.push({ kind: 'cells', id: entry, label: promptLabel({ op: 'clear' }, frame), objectIds: [objectId] });
  return host.frameMasks(frame);
}
