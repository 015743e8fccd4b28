// A propagation request turned into engine passes: which objects (the given ones, else every
// unlocked object that has prompts), checked, and the run's label and parameters.
import type { MethodArgs } from '../../api/contract';
import { ApiCallError } from '../../api/errors';
import type { ProjectStore } from '../../core/store';
import { propagationLabel } from './labels';
import type { RunSpec } from './propagation-job';
import { propagationPasses, repropagationPasses } from './propagation-plan';

export function propagateSpec(store: ProjectStore, a: MethodArgs<'track.propagate'>, numFrames: number): RunSpec {
  const prompted = new Set(store.prompts.list().map((p) => p.objectId));
  let ids: number[];
  if (a.objectIds) {
    ids = [...new Set(a.objectIds)];
    for (const id of ids) {
      const o = store.objects.require(id);
      if (o.locked) throw new ApiCallError('LOCKED', `${o.name} is locked: unlock it to propagate it.`, { objectId: id });
      if (!prompted.has(id)) throw new ApiCallError('NO_PROMPTS', `${o.name} has no prompts yet: click on it first.`, { objectId: id });
    }
  } else {
    ids = store.objects
      .list()
      .filter((o) => !o.locked && prompted.has(o.id))
      .map((o) => o.id);
    if (ids.length === 0)
      throw new ApiCallError('NO_PROMPTS', 'There is nothing to propagate: add an object and click on it first (locked objects are left out).');
  }
  const passes = propagationPasses(a.frame, a.direction, a.range, numFrames, ids);
  const [from, to] = a.range ?? [0, numFrames - 1];
  const label = propagationLabel({ kind: 'propagate', frame: a.frame, direction: a.direction, from, to });
  return { kind: 'propagate', label, passes, params: { frame: a.frame, direction: a.direction, range: [from, to], objectIds: ids } };
}

export function repropagateSpec(store: ProjectStore, frame: number, numFrames: number): RunSpec {
  const live = new Set(
    store.objects
      .list()
      .filter((o) => !o.locked)
      .map((o) => o.id),
  );
  const cond = new Map<number, number[]>();
  for (const p of store.prompts.list()) if (live.has(p.objectId)) cond.set(p.objectId, [...(cond.get(p.objectId) ?? []), p.frame]);
  const passes = repropagationPasses(frame, cond, numFrames);
  if (passes.length === 0) {
    throw new ApiCallError(
      'NOTHING_TO_PROPAGATE',
      `Nothing to re-propagate after frame ${frame}: no unlocked object has frames between it and its next prompted frame.`,
    );
  }
  const label = propagationLabel({ kind: 'repropagate', frame, direction: 'forward', from: frame, to: numFrames - 1 });
  return { kind: 'repropagate', label, passes, params: { frame, passes } };
}
