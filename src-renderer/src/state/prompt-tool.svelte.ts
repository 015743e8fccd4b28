// Prompting on the current frame for the selected object: pointer gestures (lib/gesture)
// become prompts.add calls carrying the frame's whole prompt (lib/prompt-edit); the answer's
// masks are drawn at once (no state refetch), and a single click's multimask candidates
// can be cycled with Tab. Clicks made while an answer is pending queue in order, each
// built from the prompt the previous one left, so fast clicking never loses a point.
import type { MaskCandidates, MasklineApi, ObjectInfo } from '$api/contract';
import { classifyRelease, clipBox, dragKind, travelled, type Gesture, type PressInfo } from '../lib/gesture';
import { applyPrompt, cycleIndex, framePrompt, promptCall, removePrompt } from '../lib/prompt-edit';
import { promptRefusal, type EditContext } from '../lib/edit-rules';
import type { WorkspaceContext } from './context';
import type { ErrorsState } from './errors.svelte';
import type { MasksState } from './masks.svelte';
import type { ObjectsState } from './objects.svelte';
import type { PlayerState } from './player.svelte';
import type { ProjectSession } from './project.svelte';
import type { TracksState } from './tracks.svelte';

interface Press extends PressInfo {
  sx: number;
  sy: number;
  start: [number, number];
}

export class PromptTool {
  /** the rubber-band box while dragging, in video pixels */
  dragBox = $state<[number, number, number, number] | null>(null);
  candidates = $state<MaskCandidates | null>(null);
  /** prompt calls sent and not answered yet */
  pending = $state(0);
  /** input → masks in the cache, of the last answered click (ms) */
  lastLatencyMs = $state<number | null>(null);

  #press: Press | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly ctx: Pick<WorkspaceContext, 'api' | 'project' | 'objects' | 'masks' | 'tracks' | 'player' | 'errors' | 'editContext'>) {}

  private get api(): MasklineApi {
    return this.ctx.api;
  }
  private get project(): ProjectSession {
    return this.ctx.project;
  }
  private get objects(): ObjectsState {
    return this.ctx.objects;
  }
  private get masks(): MasksState {
    return this.ctx.masks;
  }
  private get tracks(): TracksState {
    return this.ctx.tracks;
  }
  private get player(): PlayerState {
    return this.ctx.player;
  }
  private get errors(): ErrorsState {
    return this.ctx.errors;
  }
  private context(): EditContext {
    return this.ctx.editContext();
  }

  // ---- pointer input (FrameCanvas forwards everything but middle-button pans) ----

  press(p: PressInfo, sx: number, sy: number, image: [number, number]): void {
    this.#press = { ...p, sx, sy, start: image };
  }

  /** Returns 'pan' when this press has just turned into a pan (Alt+drag). */
  move(sx: number, sy: number, image: [number, number]): 'pan' | null {
    const p = this.#press;
    if (!p || !travelled(sx - p.sx, sy - p.sy)) return null;
    const kind = dragKind(p);
    if (kind === 'pan') {
      this.#press = null;
      return 'pan';
    }
    if (kind === 'box') {
      const size = this.#videoSize();
      this.dragBox = clipBox(p.start, image, size.width, size.height) ?? null;
    }
    return null;
  }

  release(sx: number, sy: number, image: [number, number]): void {
    const p = this.#press;
    this.#press = null;
    this.dragBox = null;
    if (!p) return;
    const size = this.#videoSize();
    void this.gesture(classifyRelease({ ...p, dx: sx - p.sx, dy: sy - p.sy, start: p.start, end: image, width: size.width, height: size.height }));
  }

  /** The pointer went away mid-press (e.g. a touch cancelled): nothing is sent. */
  cancelPress(): void {
    this.#press = null;
    this.dragBox = null;
  }

  /** Escape: forget the press in progress (a box being dragged is not sent) and close the candidates. */
  cancelGesture(): boolean {
    const had = this.#press !== null || this.dragBox !== null || this.candidates !== null;
    this.#press = null;
    this.dragBox = null;
    this.candidates = null;
    return had;
  }

  // ---- prompts ----

  #adding: Promise<ObjectInfo | null> | null = null;

  async gesture(g: Gesture): Promise<void> {
    if (g.type === 'none') return;
    const frame = this.player.current;
    const refusal = promptRefusal(this.context(), this.objects.selected);
    if (refusal) {
      this.errors.notice(refusal, `Prompt on frame ${frame}`);
      return;
    }
    // clicking with no object yet creates one: the first click of a session just works
    // (one object for the clicks that arrive before it exists, e.g. a double-click)
    const obj = this.objects.selected ?? (await (this.#adding ??= this.objects.add().finally(() => (this.#adding = null))));
    if (!obj) return;
    const t0 = performance.now();
    this.pending++;
    this.#queue = this.#queue.then(() => this.#send(obj.id, frame, g, t0)).finally(() => this.pending--);
    await this.#queue;
  }

  async #send(objectId: number, frame: number, g: Gesture, t0: number): Promise<void> {
    const p = this.project.state;
    if (!p) return;
    const args = promptCall(p.prompts, objectId, frame, g);
    if (!args) return;
    const what = g.type === 'box' ? `Box on frame ${frame}` : `${g.type === 'point' && g.label === 0 ? 'Negative' : 'Positive'} point on frame ${frame}`;
    try {
      const res = await this.api.call('prompts.add', args);
      this.masks.put(res.frame);
      const mine = res.frame.masks.find((m) => m.objectId === objectId);
      const st = this.project.state;
      if (st) {
        st.prompts = applyPrompt(st.prompts, args, mine !== undefined);
        // a successful edit is undoable; the services' next state brings its label
        st.canUndo = true;
        st.canRedo = false;
      }
      this.tracks.addFrame(res.frame, objectId);
      this.candidates = args.points.length === 1 && !args.box && res.candidates && res.candidates.masks.length > 1 ? res.candidates : null;
      this.lastLatencyMs = performance.now() - t0;
    } catch (err) {
      this.errors.push(err, what);
    }
  }

  /** Tab / Shift+Tab: the next mask candidate of the last single click. */
  async cycle(by: 1 | -1): Promise<boolean> {
    const c = this.candidates;
    if (!c || c.masks.length < 2) return false;
    return this.choose(cycleIndex(c.chosen, c.masks.length, by));
  }

  /**
   * Tab with no candidates in memory (the project was reopened, the page reloaded, the popover
   * closed): the click's candidates kept with the project, then the next one.
   */
  async restoreAndCycle(objectId: number, frame: number, by: 1 | -1): Promise<boolean> {
    try {
      const c = await this.api.call('prompts.candidates', { objectId, frame });
      if (!c || c.masks.length < 2) return false;
      this.candidates = c;
    } catch (err) {
      this.errors.push(err, `Reading the mask candidates on frame ${frame}`);
      return false;
    }
    return this.cycle(by);
  }

  async choose(index: number): Promise<boolean> {
    const c = this.candidates;
    if (!c || index === c.chosen) return Boolean(c);
    try {
      const fm = await this.api.call('prompts.chooseCandidate', { objectId: c.objectId, frame: c.frame, index });
      this.masks.put(fm);
      this.tracks.addFrame(fm);
      if (this.candidates === c) this.candidates = { ...c, chosen: index };
      return true;
    } catch (err) {
      this.errors.push(err, `Choosing mask ${index + 1} on frame ${c.frame}`);
      return false;
    }
  }

  /** Remove the selected object's prompt on the current frame (undo brings it back). */
  async clearFrame(): Promise<void> {
    const obj = this.objects.selected;
    const frame = this.player.current;
    const p = this.project.state;
    if (!obj || !p) return;
    const cur = framePrompt(p.prompts, obj.id, frame);
    if (!cur.points.length && !cur.box) {
      this.errors.notice({ code: 'NOTHING_TO_CLEAR', message: `${obj.name} has no prompt on frame ${frame}.` });
      return;
    }
    const refusal = promptRefusal(this.context(), obj);
    if (refusal) {
      this.errors.notice(refusal, `Clearing frame ${frame}`);
      return;
    }
    try {
      const fm = await this.api.call('prompts.clearFrame', { objectId: obj.id, frame });
      this.masks.put(fm);
      const st = this.project.state;
      if (st) {
        st.prompts = removePrompt(st.prompts, obj.id, frame);
        st.canUndo = true;
      }
      this.tracks.unprompt(obj.id, frame);
      if (!fm.masks.some((m) => m.objectId === obj.id)) this.tracks.dropFrame(obj.id, frame);
      this.candidates = null;
    } catch (err) {
      this.errors.push(err, `Clearing ${obj.name}'s prompts on frame ${frame}`);
    }
  }

  #videoSize(): { width: number; height: number } {
    const v = this.project.state?.video;
    return { width: v?.width ?? 0, height: v?.height ?? 0 };
  }
}
