// When an edit (a click, a box, clearing a frame, undo/redo, propagation) must be refused
// before it reaches the services, and the message the user gets. The services refuse the
// same things (BUSY etc.); deciding here first keeps the message specific and the click
// from queueing behind a long job.
import type { EngineStatus } from '$api/contract';

export interface Refusal {
  code: string;
  message: string;
}

export interface EditContext {
  hasProject: boolean;
  engine: Pick<EngineStatus, 'state' | 'error'> | null;
  /** a job that blocks edits (propagation, export of masks…), with a label for the message */
  busy: { kind: string; label?: string } | null;
}

export interface ObjectContext {
  name: string;
  locked: boolean;
  hidden: boolean;
}

const JOB_NAMES: Record<string, string> = { propagate: 'A propagation', repropagate: 'A re-propagation', segment: 'Segment everything' };

function jobName(busy: NonNullable<EditContext['busy']>): string {
  return busy.label ?? JOB_NAMES[busy.kind] ?? `A ${busy.kind} job`;
}

function busyRefusal(busy: NonNullable<EditContext['busy']>, what: string): Refusal {
  return { code: 'BUSY', message: `${jobName(busy)} is running: ${what} waits until it finishes or is cancelled (nothing was changed).` };
}

/** Edits that need the model: prompts and propagation. */
export function engineRefusal(engine: EditContext['engine']): Refusal | null {
  if (!engine || engine.state === 'ready') return null;
  if (engine.state === 'none') return { code: 'NO_MODEL', message: 'No model pack is installed: open Models to import or download one.' };
  if (engine.state === 'loading') return { code: 'ENGINE_LOADING', message: 'The model is still loading: try again in a moment.' };
  return { code: 'ENGINE_FAILED', message: `The model failed to load${engine.error ? `: ${engine.error}` : ''}. Open Models to pick another pack.` };
}

export function promptRefusal(c: EditContext, obj: ObjectContext | null): Refusal | null {
  if (!c.hasProject) return { code: 'NO_PROJECT', message: 'Open a video first.' };
  if (c.busy) return busyRefusal(c.busy, 'prompting');
  const e = engineRefusal(c.engine);
  if (e) return e;
  if (obj?.locked) return { code: 'LOCKED', message: `${obj.name} is locked: unlock it to change its masks.` };
  if (obj?.hidden) return { code: 'HIDDEN', message: `${obj.name} is hidden: show it before prompting, so you can see what changes.` };
  return null;
}

export function historyRefusal(c: EditContext, which: 'undo' | 'redo', possible: boolean): Refusal | null {
  if (!c.hasProject) return { code: 'NO_PROJECT', message: 'Open a video first.' };
  if (c.busy) return busyRefusal(c.busy, which);
  if (!possible) return { code: which === 'undo' ? 'NOTHING_TO_UNDO' : 'NOTHING_TO_REDO', message: `There is nothing to ${which}.` };
  return null;
}

export function propagateRefusal(c: EditContext, promptCount: number): Refusal | null {
  if (!c.hasProject) return { code: 'NO_PROJECT', message: 'Open a video first.' };
  if (c.busy) return busyRefusal(c.busy, 'another propagation');
  const e = engineRefusal(c.engine);
  if (e) return e;
  if (promptCount === 0) return { code: 'NO_PROMPTS', message: 'Click on an object first: propagation starts from prompted frames.' };
  return null;
}

/** Segment everything needs the model and no other run; the knobs are checked by segment-form. */
export function segmentRefusal(c: EditContext): Refusal | null {
  if (!c.hasProject) return { code: 'NO_PROJECT', message: 'Open a video first.' };
  if (c.busy) return busyRefusal(c.busy, 'Segment everything');
  return engineRefusal(c.engine);
}

/** Keeping proposals adds objects with mask prompts: the same rules as prompting. */
export function keepRefusal(c: EditContext, count: number): Refusal | null {
  if (count === 0) return { code: 'NOTHING_KEPT', message: 'Click the proposals to keep first (or Keep all).' };
  return promptRefusal(c, null);
}

/**
 * Deleting an object while a propagation (or segment everything) runs is allowed, but it stops
 * the run first (the services keep the frames already written; a cancelled segment run gives
 * no proposals): the question the user must answer, or null.
 */
export function removeQuestion(c: EditContext, name: string): string | null {
  if (!c.busy) return null;
  const kept = c.busy.kind === 'segment' ? 'run it again afterwards' : 'the frames it has done are kept';
  return `${jobName(c.busy)} is running. Deleting ${name} cancels it first; ${kept}. Delete ${name}?`;
}
