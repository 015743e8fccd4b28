// Per-object tracks for the timeline bars: which frames have masks, their object scores,
// which frames are prompted. Whole lists come with the project state and tracks.updated
// (after undo/redo, removals, the end of a propagation); while a propagation streams, each
// masks.updated frame is added here so the bars grow as the masks arrive.
import type { FrameMasks, TrackSummary } from '$api/contract';
import { insertSorted, mergeFrames } from '../lib/track-bars';
import { Disposers } from '../lib/disposers';
import type { WorkspaceContext } from './context';
import type { ProjectSession } from './project.svelte';

export class TracksState {
  list = $derived.by<TrackSummary[]>(() => this.project.state?.tracks ?? []);
  /** prompted frames of every object, ascending ([ / ] jump through them) */
  promptFrames = $derived(mergeFrames(this.list.map((t) => t.promptFrames)));

  #subs = new Disposers();

  constructor(private readonly ctx: Pick<WorkspaceContext, 'api' | 'project'>) {
    this.#subs.on(ctx.api, 'tracks.updated', (tracks) => this.setAll(tracks));
    this.#subs.on(ctx.api, 'masks.updated', (fm) => this.addFrame(fm));
  }

  private get project(): ProjectSession {
    return this.ctx.project;
  }

  dispose(): void {
    this.#subs.dispose();
  }

  of(objectId: number): TrackSummary | undefined {
    return this.list.find((t) => t.objectId === objectId);
  }

  setAll(tracks: TrackSummary[]): void {
    const p = this.project.state;
    if (p) p.tracks = tracks;
  }

  /** A frame's masks arrived (stream or prompt answer): record presence and score. */
  addFrame(fm: FrameMasks, prompted: number | null = null): void {
    const p = this.project.state;
    if (!p) return;
    for (const m of fm.masks) {
      let t = p.tracks.find((x) => x.objectId === m.objectId);
      if (!t) {
        p.tracks.push({ objectId: m.objectId, frames: [], scores: [], promptFrames: [] });
        t = p.tracks.at(-1)!;
      }
      const before = t.frames.length;
      const i = insertSorted(t.frames, fm.frame);
      if (t.frames.length > before) t.scores.splice(i, 0, m.score);
      else t.scores[i] = m.score;
      if (prompted === m.objectId) insertSorted(t.promptFrames, fm.frame);
    }
  }

  /** The object's prompt on the frame was cleared: it is no longer a conditioning frame. */
  unprompt(objectId: number, frame: number): void {
    const t = this.project.state?.tracks.find((x) => x.objectId === objectId);
    if (!t) return;
    const i = t.promptFrames.indexOf(frame);
    if (i >= 0) t.promptFrames.splice(i, 1);
  }

  /** A frame's answer no longer has the object's mask (e.g. its prompt was cleared). */
  dropFrame(objectId: number, frame: number): void {
    const t = this.project.state?.tracks.find((x) => x.objectId === objectId);
    if (!t) return;
    const i = t.frames.indexOf(frame);
    if (i >= 0) {
      t.frames.splice(i, 1);
      t.scores.splice(i, 1);
    }
  }
}
