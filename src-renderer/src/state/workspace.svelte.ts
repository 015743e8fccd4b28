// Every state object of the window, wired once: components receive this (or parts of it)
// and stay thin; keyboard actions and cross-cutting edits (propagate from the playhead,
// jumps, deleting an object) live here.
import type { Direction, EngineStatus, JobSnapshot, MasklineApi } from '$api/contract';
import type { EditContext } from '../lib/edit-rules';
import { removeQuestion } from '../lib/edit-rules';
import { nextLowConfidenceFrame } from '../lib/confidence';
import { nextFrameIn, prevFrameIn } from '../lib/track-bars';
import type { KeyAction } from '../lib/keymap';
import { ErrorsState } from './errors.svelte';
import { JobsState } from './jobs.svelte';
import { ProjectSession } from './project.svelte';
import { PlayerState } from './player.svelte';
import { FrameLoader } from './frame-loader.svelte';
import { ViewState } from './view.svelte';
import { MasksState } from './masks.svelte';
import { ObjectsState } from './objects.svelte';
import { TracksState } from './tracks.svelte';
import { ModelsState } from './models.svelte';
import { ReviewState } from './review.svelte';
import { PromptTool } from './prompt-tool.svelte';
import { HistoryState } from './history.svelte';
import { PropagationState } from './propagation.svelte';
import { ExportState } from './export.svelte';
import { SegmentState } from './segment.svelte';
import { SegmentTool } from './segment-tool.svelte';
import { PaintTool } from './paint-tool.svelte';
import { LabelsState } from './labels.svelte';
import { ImportState } from './import.svelte';
import type { FrameTool } from '../lib/frame-tool';
import type { EditMode } from '../lib/paint-edit';
import { PreencodeState } from './preencode.svelte';

export class Workspace {
  readonly errors = new ErrorsState();
  readonly jobs: JobsState;
  readonly project: ProjectSession;
  readonly player = new PlayerState();
  readonly loader: FrameLoader;
  readonly view = new ViewState();
  readonly masks: MasksState;
  readonly objects: ObjectsState;
  readonly tracks: TracksState;
  readonly models: ModelsState;
  readonly review = new ReviewState();
  readonly prompt: PromptTool;
  readonly history: HistoryState;
  readonly propagation: PropagationState;
  readonly exporter: ExportState;
  readonly segment: SegmentState;
  /** the frame's pointer input while the Segment everything panel is open */
  readonly segmentTool: SegmentTool;
  /** brush, eraser and polygon (issue 12) */
  readonly paint: PaintTool;
  readonly importer: ImportState;
  readonly labels: LabelsState;
  /** pre-encoding: the resting playhead, the setting, "frame ready" / "encoding" */
  readonly preencode: PreencodeState;

  helpOpen = $state(false);
  /** a yes/no question in a small dialog (e.g. deleting an object during a propagation) */
  question = $state<{ text: string; yes: string; onyes: () => void } | null>(null);

  /** the engine as last reported: engine.changed / models.select win over the project's snapshot */
  engine = $derived.by<EngineStatus | null>(() => this.models.status ?? this.project.state?.engine ?? null);
  /** a job that blocks edits: the services' word, or the run this window just started */
  busy = $derived.by(() => {
    const b = this.project.state?.busy ?? null;
    if (b) return { kind: b.kind, label: this.propagation.job?.id === b.jobId ? this.propagation.label : undefined };
    if (this.propagation.running) return { kind: 'propagate', label: this.propagation.label };
    return this.segment.running ? { kind: 'segment' } : null;
  });

  constructor(readonly api: MasklineApi) {
    this.jobs = new JobsState(api, this.errors);
    this.project = new ProjectSession(api, this.jobs, this.errors);
    this.loader = new FrameLoader(api);
    this.masks = new MasksState(api, this.errors);
    this.objects = new ObjectsState(api, this.project, this.errors, (id) => this.masks.dropObject(id));
    this.tracks = new TracksState(api, this.project);
    this.models = new ModelsState(api, this.project, this.errors);
    const ctx = () => this.editContext();
    this.prompt = new PromptTool(api, this.project, this.objects, this.masks, this.tracks, this.player, this.errors, ctx);
    this.history = new HistoryState(api, this.project, this.errors, ctx, () => {
      this.masks.invalidate();
      this.prompt.cancelGesture();
    });
    this.propagation = new PropagationState(api, this.project, this.jobs, this.errors, ctx, (j) => this.#propagationEnded(j));
    // while tracking, the canvas follows the frame just tracked (unless "stay" is chosen)
    api.on('masks.updated', (fm) => {
      if (this.propagation.running && this.propagation.follow && !this.player.playing) this.player.seek(fm.frame);
    });
    this.exporter = new ExportState(api, this.jobs, this.errors);
    this.segment = new SegmentState(api, this.project, this.jobs, this.objects, this.masks, this.player, this.errors, ctx, () => this.engine);
    this.segmentTool = new SegmentTool(this.segment);
    this.paint = new PaintTool(api, this.project, this.objects, this.masks, this.tracks, this.player, this.view, this.errors, ctx);
    this.importer = new ImportState(api, this.errors, () => this.masks.invalidate());
    this.labels = new LabelsState(api, this.errors);
    this.preencode = new PreencodeState(api, this.errors);
  }

  /** Who gets the frame's pointer input: Segment everything's picker, a paint tool, or click/box prompts. */
  get frameTool(): FrameTool {
    return this.segment.active ? this.segmentTool : this.paint.active ? this.paint : this.prompt;
  }

  setTool(mode: EditMode): void {
    this.prompt.cancelGesture();
    this.paint.setMode(mode);
  }

  /** "Refine with SAM 2": back to clicks; a click on a painted frame refines its mask (mask + points). */
  refine(): void {
    this.setTool('prompt');
    this.errors.notice({ code: 'REFINE', message: 'Click on the object: SAM 2 refines the painted mask with your points (right click for negative).' });
  }

  #viewOf: string | null = null;
  #viewTimer: ReturnType<typeof setTimeout> | null = null;

  /** Once per opened project: its saved playhead, zoom/pan and selected object (issue 13). */
  restoreView(dir: string | null): void {
    if (dir === this.#viewOf) return;
    this.#viewOf = dir;
    const v = this.project.state?.view;
    if (!dir || !v) return;
    const frames = this.project.state?.video.frames ?? 0;
    if (v.frame < frames) this.player.seek(v.frame);
    this.view.restore(v.zoom);
    if (v.objectId !== null && this.objects.byId(v.objectId)) this.objects.select(v.objectId);
  }

  /** Reads what is saved (so an effect re-runs on changes) and saves it a moment later. */
  saveViewSoon(): void {
    const v = { frame: this.player.current, zoom: this.view.fitted ? null : { ...this.view.view }, objectId: this.objects.selectedId };
    const dir = this.project.state?.dir ?? null;
    if (!dir || dir !== this.#viewOf) return;
    if (this.#viewTimer) clearTimeout(this.#viewTimer);
    this.#viewTimer = setTimeout(() => {
      this.#viewTimer = null;
      if (this.project.state?.dir !== dir) return;
      // losing a view save is harmless: the next change saves again
      this.api.call('project.saveView', v).catch(() => {});
    }, 300);
  }

  /** S: open or leave the Segment everything panel (its clicks pick proposals, not points). */
  toggleSegment(): void {
    this.prompt.cancelGesture();
    this.segment.toggle();
  }

  editContext(): EditContext {
    return { hasProject: this.project.state !== null, engine: this.engine, busy: this.busy };
  }

  propagate(direction: Direction): Promise<void> {
    return this.propagation.start(this.player.current, direction, this.review.markers);
  }

  repropagate(): Promise<void> {
    return this.propagation.repropagate(this.player.current);
  }

  async removeObject(id: number): Promise<void> {
    const name = this.objects.byId(id)?.name ?? `object ${id}`;
    const q = removeQuestion(this.editContext(), name);
    if (q) {
      this.question = { text: q, yes: `Delete ${name}`, onyes: () => void this.objects.remove(id) };
      return;
    }
    await this.objects.remove(id);
  }

  /** The open question's answer: it closes, and "yes" does what it asked about. */
  answer(yes: boolean): void {
    const q = this.question;
    this.question = null;
    if (yes && q) q.onyes();
  }

  jumpPrompted(by: 1 | -1): void {
    const frames = this.tracks.promptFrames;
    const f = by > 0 ? nextFrameIn(frames, this.player.current) : prevFrameIn(frames, this.player.current);
    if (f === null) this.errors.notice({ code: 'NO_PROMPTED_FRAME', message: `No prompted frame ${by > 0 ? 'after' : 'before'} frame ${this.player.current}.` });
    else this.player.step(f - this.player.current);
  }

  jumpLowConfidence(): void {
    const f = nextLowConfidenceFrame(this.tracks.list, this.player.current);
    if (f === null) this.errors.notice({ code: 'ALL_CONFIDENT', message: 'No frame has a low-confidence mask.' });
    else this.player.step(f - this.player.current);
  }

  openExport(): void {
    const frames = this.project.state?.video.frames ?? 0;
    this.exporter.show(this.review.range(frames), this.objects.list.map((o) => o.id), this.project.state?.video.name ?? 'video');
  }

  /** A key the keymap understood; false when it does nothing here (so Tab can move focus). */
  handleKey(a: KeyAction): boolean {
    switch (a.type) {
      case 'step':
        this.player.step(a.by);
        return true;
      case 'home':
        this.player.home();
        return true;
      case 'end':
        this.player.end();
        return true;
      case 'togglePlay':
        this.player.togglePlay();
        return true;
      case 'fit':
        this.view.fit();
        return true;
      case 'zoom':
        this.view.zoomCentre(a.factor);
        return true;
      case 'selectObject':
        this.objects.selectIndex(a.index);
        return true;
      case 'addObject':
        void this.objects.add();
        return true;
      case 'toggleOverlays':
        this.review.toggleOverlays();
        return true;
      case 'toggleOutline':
        this.review.toggleOutline();
        return true;
      case 'cycleCandidate':
        if (!this.prompt.candidates) return false;
        void this.prompt.cycle(a.by);
        return true;
      case 'undo':
        void this.history.undo();
        return true;
      case 'redo':
        void this.history.redo();
        return true;
      case 'marker':
        this.review.setMarker(a.which, this.player.current);
        return true;
      case 'clearMarkers':
        this.review.clearMarkers();
        return true;
      case 'propagate':
        void this.propagate(a.direction);
        return true;
      case 'repropagate':
        void this.repropagate();
        return true;
      case 'promptedFrame':
        this.jumpPrompted(a.by);
        return true;
      case 'nextLowConfidence':
        this.jumpLowConfidence();
        return true;
      case 'clearFramePrompts':
        void this.prompt.clearFrame();
        return true;
      case 'segment':
        this.toggleSegment();
        return true;
      case 'tool':
        this.setTool(a.mode);
        return true;
      case 'brushSize':
        this.paint.resize(a.by);
        return true;
      case 'closePolygon':
        if (this.paint.mode !== 'polygon') return false;
        this.paint.closePolygon(a.subtract);
        return true;
      case 'escape':
        if (this.question) this.question = null;
        else if (this.helpOpen) this.helpOpen = false;
        else if (this.exporter.open) this.exporter.close();
        else if (this.importer.open) this.importer.close();
        else if (this.models.screenOpen) this.models.screenOpen = false;
        else if (this.segment.active) this.segment.close();
        else if (this.paint.cancel()) return true;
        else return this.prompt.cancelGesture();
        return true;
      case 'help':
        this.helpOpen = !this.helpOpen;
        return true;
    }
  }

  #propagationEnded(j: JobSnapshot): void {
    if (j.state === 'cancelled') {
      this.errors.notice({ code: 'CANCELLED', message: `${this.propagation.label || j.label} was cancelled after ${j.done} of ${j.total} frames; the frames done are kept.` });
    }
    // tracks.updated brings the final bars; the frame on screen may have changed under us
    this.masks.ensure(this.player.current);
  }
}
