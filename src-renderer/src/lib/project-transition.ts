// What the window does when the open project changes (pure; Workspace.enter applies the steps).
// A project state arrives from an open, a close, an undo, a relocation or the services' events;
// comparing it with the one before says which transition it is, and each transition resets a
// fixed list of things, so nothing of an old project survives into the next one.

/** The parts of a project state that decide the transition. */
export interface ProjectKey {
  dir: string;
  video: { key: string; frames: number; fps: number; width: number; height: number };
}

export type ProjectChange =
  /** the same project and video (an edit, an undo, a job's progress): nothing to reset */
  | 'none'
  /** the same project, its video replaced or re-read (relocated to another file) */
  | 'video'
  /** a project where there was none */
  | 'open'
  /** another project replaces the open one */
  | 'switch'
  /** no project any more */
  | 'close';

export type TransitionStep =
  /** playhead, frame cache and view take the video's length, rate and size */
  | 'showVideo'
  /** playhead back to 0, frame cache emptied */
  | 'hideVideo'
  /** the old project's masks, markers, gesture, candidates, proposals, paint in progress and pending question go */
  | 'forgetProject'
  /** the engine as the opened project reports it (its event may have come before the open's answer) */
  | 'adoptEngine'
  /** the project's saved playhead, zoom/pan and selected object come back */
  | 'restoreView'
  /** nothing is saved as "where the user left" until a project opens again */
  | 'forgetView';

export function projectChange(from: ProjectKey | null, to: ProjectKey | null): ProjectChange {
  if (!from) return to ? 'open' : 'none';
  if (!to) return 'close';
  if (from.dir !== to.dir) return 'switch';
  const a = from.video;
  const b = to.video;
  const same = a.key === b.key && a.frames === b.frames && a.fps === b.fps && a.width === b.width && a.height === b.height;
  return same ? 'none' : 'video';
}

/** The steps of each transition, in the order they run (the view is restored onto the new video). */
export const TRANSITION_STEPS: Readonly<Record<ProjectChange, readonly TransitionStep[]>> = {
  none: [],
  video: ['showVideo'],
  open: ['forgetProject', 'showVideo', 'adoptEngine', 'restoreView'],
  switch: ['forgetProject', 'showVideo', 'adoptEngine', 'restoreView'],
  close: ['forgetProject', 'hideVideo', 'forgetView'],
};
