// A click or box on a frame → the prompts.add call. The API's clearOld (default true)
// replaces the frame's prompt for that object, so every call carries the frame's whole
// prompt (all points so far plus the new one, and the box), like SAM 2's notebook does.
// The backend keeps each call in its history, which makes undo and replay exact.
import type { MethodArgs, PromptInfo } from '$api/contract';
import type { Gesture } from './gesture';

export type PromptAddArgs = MethodArgs<'prompts.add'>;

/** The frame's current prompt for the object (points, labels, box), empty when none. */
export function framePrompt(prompts: readonly PromptInfo[], objectId: number, frame: number): Pick<PromptInfo, 'points' | 'labels' | 'box'> {
  const p = prompts.find((x) => x.objectId === objectId && x.frame === frame);
  return p ? { points: p.points, labels: p.labels, box: p.box } : { points: [], labels: [], box: null };
}

/** Round to 1/100 px: sub-pixel precision beyond that is noise and bloats the history. */
const r2 = (v: number) => Math.round(v * 100) / 100;

export function promptCall(prompts: readonly PromptInfo[], objectId: number, frame: number, g: Gesture): PromptAddArgs | null {
  if (g.type === 'none') return null;
  const cur = framePrompt(prompts, objectId, frame);
  const points = cur.points.map((p) => [p[0], p[1]] as [number, number]);
  const labels = [...cur.labels];
  let box = cur.box;
  if (g.type === 'point') {
    points.push([r2(g.x), r2(g.y)]);
    labels.push(g.label);
  } else {
    box = g.box.map(r2) as [number, number, number, number];
  }
  const args: PromptAddArgs = { objectId, frame, points, labels, clearOld: true };
  if (box) args.box = box;
  return args;
}

/** The prompt the frame has after a successful call (so the UI need not refetch the state). */
export function applyPrompt(prompts: readonly PromptInfo[], a: PromptAddArgs, hasMask: boolean): PromptInfo[] {
  const rest = prompts.filter((p) => !(p.objectId === a.objectId && p.frame === a.frame));
  rest.push({ objectId: a.objectId, frame: a.frame, points: a.points, labels: a.labels, box: a.box ?? null, hasMask });
  return rest;
}

export function removePrompt(prompts: readonly PromptInfo[], objectId: number, frame: number): PromptInfo[] {
  return prompts.filter((p) => !(p.objectId === objectId && p.frame === frame));
}

/** Tab / Shift+Tab through n candidates. */
export function cycleIndex(current: number, n: number, by: 1 | -1): number {
  if (n <= 0) return 0;
  return (((current + by) % n) + n) % n;
}
