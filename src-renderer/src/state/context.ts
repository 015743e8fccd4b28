// What the window's rune classes share, passed as one object instead of long positional
// argument lists: the API client, where problems and notices go, the jobs, the open project and
// the states that edits read or update. The Workspace is the one implementation; each class
// names the parts it uses (Pick<WorkspaceContext, …>) and reads them when it needs them, so the
// order the workspace builds its states in never hands a class a part that is not there yet.
import type { EngineStatus, MasklineApi } from '$api/contract';
import type { EditContext } from '../lib/edit-rules';
import type { ErrorsState } from './errors.svelte';
import type { JobsState } from './jobs.svelte';
import type { MasksState } from './masks.svelte';
import type { ObjectsState } from './objects.svelte';
import type { PlayerState } from './player.svelte';
import type { ProjectSession } from './project.svelte';
import type { TracksState } from './tracks.svelte';
import type { ViewState } from './view.svelte';

export interface WorkspaceContext {
  readonly api: MasklineApi;
  /** the error / notice sink the banners show */
  readonly errors: ErrorsState;
  readonly jobs: JobsState;
  readonly project: ProjectSession;
  readonly player: PlayerState;
  readonly view: ViewState;
  readonly masks: MasksState;
  readonly objects: ObjectsState;
  readonly tracks: TracksState;
  /** the engine as last reported (engine.changed / models.select win over the project's snapshot) */
  readonly engine: EngineStatus | null;
  /** whether an edit may run now: a project is open, the engine is ready, no job blocks */
  editContext(): EditContext;
  /** the frame's image features are cached in the engine (its encoding is no part of a segment run) */
  frameReady(frame: number): boolean;
}
