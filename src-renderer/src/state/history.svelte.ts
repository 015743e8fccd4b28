// Undo/redo of prompts, object edits and whole propagation runs (the services keep the
// history; the labels say what each step would do). An undo can change masks on any
// frame, so the mask cache is dropped and the visited frames fetched again.
import type { MasklineApi } from '$api/contract';
import { historyRefusal, type EditContext } from '../lib/edit-rules';
import type { WorkspaceContext } from './context';
import type { ErrorsState } from './errors.svelte';
import type { ProjectSession } from './project.svelte';

export class HistoryState {
  canUndo = $derived.by(() => this.project.state?.canUndo ?? false);
  canRedo = $derived.by(() => this.project.state?.canRedo ?? false);
  undoLabel = $derived.by(() => this.project.state?.undoLabel ?? null);
  redoLabel = $derived.by(() => this.project.state?.redoLabel ?? null);
  running = $state(false);

  constructor(
    private readonly ctx: Pick<WorkspaceContext, 'api' | 'project' | 'errors' | 'editContext'>,
    private readonly hooks: {
      /** masks and candidates are stale after a step */
      onStep: () => void;
    },
  ) {}

  private get api(): MasklineApi {
    return this.ctx.api;
  }

  private get project(): ProjectSession {
    return this.ctx.project;
  }

  private get errors(): ErrorsState {
    return this.ctx.errors;
  }

  private context(): EditContext {
    return this.ctx.editContext();
  }

  undo(): Promise<void> {
    return this.#step('undo');
  }

  redo(): Promise<void> {
    return this.#step('redo');
  }

  async #step(which: 'undo' | 'redo'): Promise<void> {
    if (this.running) return;
    const possible = which === 'undo' ? this.canUndo : this.canRedo;
    const refusal = historyRefusal(this.context(), which, possible);
    if (refusal) {
      this.errors.notice(refusal);
      return;
    }
    const label = which === 'undo' ? this.undoLabel : this.redoLabel;
    this.running = true;
    try {
      const state = await this.api.call(which === 'undo' ? 'history.undo' : 'history.redo', {});
      this.project.adopt(state);
      this.hooks.onStep();
    } catch (err) {
      this.errors.push(err, `${which === 'undo' ? 'Undo' : 'Redo'}${label ? ` “${label}”` : ''}`);
    } finally {
      this.running = false;
    }
  }
}
