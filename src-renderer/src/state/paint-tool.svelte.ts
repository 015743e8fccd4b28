// Hand edits on the current frame for the selected object: brush, eraser and polygon (lib/
// paint-edit). Each stroke or closed polygon is one prompts.addMask call — the edited mask
// becomes the object's mask prompt there, stored exactly as painted — and so one undo step.
// The edit is drawn at once (the mask cache gets the local result) and edits queue in order,
// each starting from the mask the previous one left.
import type { FrameMasks, MasklineApi, PromptInfo } from '$api/contract';
import { encodeMask } from '$shared/mask-encode';
import { promptRefusal, type EditContext } from '../lib/edit-rules';
import type { FrameTool } from '../lib/frame-tool';
import type { PressInfo } from '../lib/gesture';
import { rleToMask } from '../lib/mask-raster';
import { brushSizeStep, closesPolygon, editedMask, type EditMode, type MaskEdit } from '../lib/paint-edit';
import { imageToScreen } from '../lib/view-transform';
import type { WorkspaceContext } from './context';
import type { ErrorsState } from './errors.svelte';
import type { MasksState } from './masks.svelte';
import type { ObjectsState } from './objects.svelte';
import type { PlayerState } from './player.svelte';
import type { ProjectSession } from './project.svelte';
import type { TracksState } from './tracks.svelte';
import type { ViewState } from './view.svelte';

export class PaintTool implements FrameTool {
  mode = $state<EditMode>('prompt');
  /** brush diameter in video pixels */
  size = $state(16);
  /** a stroke also removes its pixels from the other objects on the frame */
  exclusive = $state(false);
  /** pointer position over the frame (video pixels) for the cursor ring */
  cursor = $state<[number, number] | null>(null);
  /** the stroke being drawn, in video pixels */
  stroke = $state<[number, number][]>([]);
  strokeErases = $state(false);
  /** polygon vertices so far, in video pixels */
  polygon = $state<[number, number][]>([]);
  pending = $state(0);

  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: Pick<WorkspaceContext, 'api' | 'project' | 'objects' | 'masks' | 'tracks' | 'player' | 'view' | 'errors' | 'editContext'>,
  ) {}

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
  private get view(): ViewState {
    return this.ctx.view;
  }
  private get errors(): ErrorsState {
    return this.ctx.errors;
  }
  private context(): EditContext {
    return this.ctx.editContext();
  }

  get active(): boolean {
    return this.mode !== 'prompt';
  }

  setMode(m: EditMode): void {
    this.mode = m;
    this.stroke = [];
    this.polygon = [];
  }

  resize(by: 1 | -1): void {
    this.size = brushSizeStep(this.size, by);
  }

  // ---- FrameTool ----

  press(p: PressInfo, sx: number, sy: number, image: [number, number]): void {
    if (this.mode === 'polygon') {
      if (p.button === 2) return this.closePolygon(p.shiftKey === true);
      const first = this.polygon[0];
      if (closesPolygon(this.polygon.length, first ? imageToScreen(this.view.view, first[0], first[1]) : null, [sx, sy]))
        return this.closePolygon(p.shiftKey === true);
      this.polygon = [...this.polygon, image];
      return;
    }
    this.strokeErases = this.mode === 'eraser' || p.button === 2;
    this.stroke = [image];
  }

  move(_sx: number, _sy: number, image: [number, number]): 'pan' | null {
    this.cursor = image;
    if (this.stroke.length) this.stroke = [...this.stroke, image];
    return null;
  }

  release(_sx: number, _sy: number, image: [number, number]): void {
    if (!this.stroke.length) return;
    const points = [...this.stroke, image];
    this.stroke = [];
    void this.apply({ kind: 'stroke', points, size: this.size, erase: this.strokeErases });
  }

  cancelPress(): void {
    this.stroke = [];
  }

  hover(image: [number, number] | null): void {
    this.cursor = image;
  }

  /** Ctrl/Cmd+wheel: brush size (wheel up: bigger). */
  wheel(deltaY: number): boolean {
    if (this.mode !== 'brush' && this.mode !== 'eraser') return false;
    if (deltaY !== 0) this.resize(deltaY < 0 ? 1 : -1);
    return true;
  }

  /** Enter, right click, or a click on the first vertex: fill the polygon (Shift: subtract). */
  closePolygon(subtract: boolean): void {
    const vertices = this.polygon;
    this.polygon = [];
    if (vertices.length < 3) return;
    void this.apply({ kind: 'polygon', vertices, subtract });
  }

  /** Escape: drop the polygon or stroke in progress. */
  cancel(): boolean {
    const had = this.polygon.length > 0 || this.stroke.length > 0;
    this.polygon = [];
    this.stroke = [];
    return had;
  }

  // ---- edits ----

  async apply(edit: MaskEdit): Promise<void> {
    const frame = this.player.current;
    const refusal = promptRefusal(this.context(), this.objects.selected);
    if (refusal) {
      this.errors.notice(refusal, `Editing the mask on frame ${frame}`);
      return;
    }
    const v = this.project.state?.video;
    if (!v) return;
    const obj = this.objects.selected ?? (await this.objects.add());
    if (!obj) return;
    const exclusive = this.exclusive;
    this.pending++;
    this.#queue = this.#queue.then(() => this.#send(obj.id, frame, v.width, v.height, edit, exclusive)).finally(() => this.pending--);
    await this.#queue;
  }

  async #send(objectId: number, frame: number, width: number, height: number, edit: MaskEdit, exclusive: boolean): Promise<void> {
    // the edit starts from the object's mask as the services hold it (fetched when not cached)
    let current = this.masks.get(frame);
    if (!current) {
      try {
        current = await this.api.call('masks.frame', { frame });
      } catch (err) {
        this.errors.push(err, `Reading the masks of frame ${frame}`);
        return;
      }
    }
    const mine = current?.masks.find((m) => m.objectId === objectId);
    const rle = encodeMask(editedMask(mine ? rleToMask(mine.rle) : null, width, height, edit), height, width);
    // drawn at once; the services' answer (which may also change other objects) replaces it
    this.masks.put({ frame, masks: [...current.masks.filter((m) => m.objectId !== objectId), { objectId, rle, score: 10, source: mine?.source ?? 'prompt' }] });
    const what = `${edit.kind === 'polygon' ? 'Polygon' : edit.erase ? 'Eraser stroke' : 'Brush stroke'} on frame ${frame}`;
    try {
      const fm: FrameMasks = await this.api.call('prompts.addMask', { objectId, frame, rle, exclusive });
      this.masks.put(fm);
      const st = this.project.state;
      if (st) {
        // the edited object's prompt on the frame is now its mask; other objects an exclusive
        // edit changed arrive with the services' project.changed
        const painted: PromptInfo = { objectId, frame, points: [], labels: [], box: null, hasMask: true };
        st.prompts = [...st.prompts.filter((p) => p.objectId !== objectId || p.frame !== frame), painted];
        st.canUndo = true;
        st.canRedo = false;
      }
      this.tracks.addFrame(fm, objectId);
    } catch (err) {
      this.errors.push(err, what);
      this.masks.invalidate();
    }
  }
}
