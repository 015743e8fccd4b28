// What undo/redo would do, in words the UI shows ("Undo: Add point on frame 12"). Pure.
import type { ObjectPatch } from '../../core/store';

export function promptLabel(
  call:
    | { op: 'points'; points: number; labels: number[]; box: boolean; previousPoints: number; previousBox?: boolean; boxChanged?: boolean }
    | { op: 'candidate'; index: number }
    | { op: 'mask' }
    | { op: 'clear' },
  frame: number,
): string {
  const on = `on frame ${frame}`;
  switch (call.op) {
    case 'candidate':
      return `Choose mask ${call.index + 1} ${on}`;
    case 'mask':
      return `Set mask ${on}`;
    case 'clear':
      return `Clear prompts ${on}`;
    case 'points': {
      // a call that only adds, moves or removes the box is named for the box, not for the
      // points it carries along unchanged (the UI sends the frame's whole prompt every time)
      const boxOnly = call.points === call.previousPoints && (call.boxChanged ?? call.box !== (call.previousBox ?? false));
      if (boxOnly || call.points === 0) {
        if (!call.box) return call.points === 0 ? `Set prompt ${on}` : `Remove box ${on}`;
        return call.previousBox ? `Move box ${on}` : `Draw box ${on}`;
      }
      if (call.points < call.previousPoints) return `Remove point ${on}`;
      if (call.points === call.previousPoints + 1 || call.previousPoints === 0) {
        return call.labels[call.labels.length - 1] === 0 ? `Add negative point ${on}` : `Add point ${on}`;
      }
      return `Set ${call.points} points ${on}`;
    }
  }
}

export function objectEditLabel(name: string, patch: ObjectPatch): string {
  const keys = Object.keys(patch) as (keyof ObjectPatch)[];
  if (keys.length !== 1) return `Edit ${name}`;
  switch (keys[0]) {
    case 'name':
      return `Rename ${name}`;
    case 'color':
      return `Recolour ${name}`;
    case 'label':
      return `Set label of ${name}`;
    case 'hidden':
      return `${patch.hidden ? 'Hide' : 'Show'} ${name}`;
    default:
      return `${patch.locked ? 'Lock' : 'Unlock'} ${name}`;
  }
}

export function propagationLabel(p: {
  kind: 'propagate' | 'repropagate';
  frame: number;
  direction: 'forward' | 'backward' | 'both';
  from: number;
  to: number;
}): string {
  if (p.kind === 'repropagate') return `Re-propagation from frame ${p.frame}`;
  if (p.direction === 'forward') return `Propagation forward ${p.frame}–${p.to}`;
  if (p.direction === 'backward') return `Propagation backward ${p.frame}–${p.from}`;
  return `Propagation both ways ${p.from}–${p.to} from ${p.frame}`;
}

/** The fields of an objects.update that really change something, with their old values (for undo). */
export function objectPatchDiff(cur: ObjectPatch, a: ObjectPatch): { before: ObjectPatch; after: ObjectPatch } {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const k of ['name', 'color', 'label', 'hidden', 'locked'] as const) {
    if (a[k] !== undefined && a[k] !== cur[k]) {
      after[k] = a[k];
      before[k] = cur[k];
    }
  }
  return { before: before as ObjectPatch, after: after as ObjectPatch };
}

/** segment.keep as one undo step: "Keep 5 proposals on frame 12". */
export function keepLabel(count: number, frame: number): string {
  return `Keep ${count} proposal${count === 1 ? '' : 's'} on frame ${frame}`;
}
