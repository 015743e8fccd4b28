// Every state object of the window, built once over one WorkspaceContext (this) and disposed
// together: components receive this (or parts of it) and stay thin. It owns the window's
// lifecycle: every new project state passes through enter(), which applies the transition it
// makes (open, switch, close, a relocated video; lib/project-transition) in one place; the
// reactions that keep loaders in step with the playhead live in one effect root
// (workspace-reactions); dispose() releases every subscription, timer and effect of every state.
// Cross-cutting edits (propagate from the playhead, jumps, deleting an object) live here too;
// what each key does is workspace-keys.ts.
import type { AppInfo, Direction, EngineStatus, JobSnapshot, MasklineApi, ProjectState } from '$api/contract';
import type { EditContext } from '../lib/edit-rules';
import { removeQuestion } from '../lib/edit-rules';
import { nextLowConfidenceFrame } from '../lib/confidence';
import { nextFrameIn, prevFrameIn } from '../lib/track-bars';
import type { KeyAction } from '../lib/keymap';
import { applyKey } from './workspace-keys';
import { Disposers, type Release } from '../lib/disposers';
import { projectChange, TRANSITION_STEPS, type TransitionStep } from '../lib/project-transition';
import type { WorkspaceContext } from './context';
import { startReactions } from './workspace-reactions.svelte';
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
import { BatchState } from './batch.svelte';
import { ReviewState } from './review.svelte';
import { PromptTool } from './prompt-tool.svelte';
import { HistoryState } from './history.svelte';
import { PropagationState } from './propagation.svelte';
import { ExportState } from './export.svelte';
import { SegmentState } from './segment.svelte';
import { SegmentTool } from './segment-tool.svelte';
import { PaintTool } from './paint-tool.svelte';
import { LabelsState } from './labels.svelte';
import { LabelModelList } from './label-models.svelte';
import { ImportState } from './import.svelte';
import type { FrameTool } from '../lib/frame-tool';
import type { EditMode } from '../lib/paint-edit';
import { PreencodeState } from './preencode.svelte';

export class Workspace implements WorkspaceContext {
  readonly errors: ErrorsState;
  readonly jobs: JobsState;
  readonly project: ProjectSession;
  readonly player: PlayerState;
  readonly loader: FrameLoader;
  readonly view = new ViewState();
  readonly masks: MasksState;
  readonly objects: ObjectsState;
  readonly tracks: TracksState;
  readonly models: ModelsState;
  /** the Batch panel (docs/batch.md) */
  readonly batch: BatchState;
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
  /** label models (CLIP): the Models screen lists them, the Labels panel uses the active one */
  readonly labelModels: LabelModelList;
  /** pre-encoding: the resting playhead, the setting, "frame ready" / "encoding" */
  readonly preencode: PreencodeState;

  /** version, transport, ffmpeg and folders (app.info), for the top bar */
  info = $state<AppInfo | null>(null);
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

  /** what this workspace holds: each state's dispose(), its own subscription, timer and effect root */
  #held = new Disposers();

  constructor(readonly api: MasklineApi) {
    // each state reads the parts of the context it uses when it uses them; constructors touch
    // only the api and the errors, so the order below matters only for those two (first)
    const own = <T extends { dispose(): void }>(state: T): T => {
      this.#held.add(() => state.dispose());
      return state;
    };
    this.errors = own(new ErrorsState());
    this.jobs = own(new JobsState(this));
    this.project = own(new ProjectSession(this, { onAdopt: (from, to) => this.#enter(from, to) }));
    this.player = own(new PlayerState());
    this.loader = own(new FrameLoader(this));
    this.masks = own(new MasksState(this));
    this.objects = new ObjectsState(this, { onRemoved: (id) => this.masks.dropObject(id) });
    this.tracks = own(new TracksState(this));
    this.models = own(new ModelsState(this));
    this.batch = own(new BatchState(this));
    this.prompt = new PromptTool(this);
    this.history = new HistoryState(this, {
      onStep: () => {
        this.masks.invalidate();
        this.prompt.cancelGesture();
      },
    });
    this.propagation = own(new PropagationState(this, { onFinished: (j) => this.#propagationEnded(j) }));
    // while tracking, the canvas follows the frame just tracked (unless "stay" is chosen)
    this.#held.on(api, 'masks.updated', (fm) => {
      if (this.propagation.running && this.propagation.follow && !this.player.playing) this.player.seek(fm.frame);
    });
    this.exporter = own(new ExportState(this));
    this.segment = own(new SegmentState(this));
    this.segmentTool = new SegmentTool(this.segment);
    this.paint = new PaintTool(this);
    this.importer = new ImportState(this, { onImported: () => this.masks.invalidate() });
    this.labelModels = new LabelModelList(this);
    this.labels = own(new LabelsState(this, this.labelModels));
    this.preencode = own(new PreencodeState(this));
    this.#held.add(startReactions(this));
    api
      .call('app.info', {})
      .then((i) => {
        if (this.#held.disposed) return;
        this.info = i;
        for (const w of i.warnings) this.errors.warn(w);
      })
      .catch((err) => this.errors.push(err, 'Starting up'));
  }

  /** The window goes away: every subscription, timer, animation frame and effect is released. */
  dispose(): void {
    this.#held.dispose();
  }

  // ---- transitions: what a new project state resets ----

  #enter(from: ProjectState | null, to: ProjectState | null): void {
    for (const step of TRANSITION_STEPS[projectChange(from, to)]) this.#step(step, to);
  }

  #step(step: TransitionStep, to: ProjectState | null): void {
    switch (step) {
      case 'showVideo': {
        const v = to!.video;
        this.player.load(v.frames, v.fps);
        this.loader.setVideo(v.key, v.frames, v.width, v.height);
        this.view.setImage(v.width, v.height);
        return;
      }
      case 'hideVideo':
        this.player.reset();
        this.loader.clear();
        return;
      case 'forgetProject':
        this.masks.invalidate();
        this.review.clearMarkers();
        this.prompt.cancelGesture();
        this.paint.cancel();
        this.segment.reset();
        this.labels.reset();
        // "delete object 3?" was about the old project's object 3
        this.question = null;
        return;
      case 'adoptEngine':
        this.models.adoptProjectEngine();
        return;
      case 'restoreView':
        this.#restoreView(to!);
        return;
      case 'forgetView':
        this.#viewOf = null;
        this.#viewSave?.();
        this.#viewSave = null;
        return;
    }
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

  /** the project whose view is restored (and so may be saved) */
  #viewOf: string | null = null;
  #viewSave: Release | null = null;

  /** Once per opened project: its saved playhead, zoom/pan and selected object (issue 13). */
  #restoreView(p: ProjectState): void {
    this.#viewOf = p.dir;
    const v = p.view;
    if (!v) return;
    if (v.frame < p.video.frames) this.player.seek(v.frame);
    this.view.restore(v.zoom);
    if (v.objectId !== null && this.objects.byId(v.objectId)) this.objects.select(v.objectId);
  }

  /** Reads what is saved (so an effect re-runs on changes) and saves it a moment later. */
  saveViewSoon(): void {
    const v = { frame: this.player.current, zoom: this.view.fitted ? null : { ...this.view.view }, objectId: this.objects.selectedId };
    const dir = this.project.state?.dir ?? null;
    if (!dir || dir !== this.#viewOf) return;
    this.#viewSave?.();
    this.#viewSave = this.#held.timeout(() => {
      this.#viewSave = null;
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

  /** the frame's image features are cached (pre-encoded or clicked on) */
  frameReady(frame: number): boolean {
    const st = this.preencode?.status;
    return st?.frame === frame && st.ready;
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
    if (f === null)
      this.errors.notice({ code: 'NO_PROMPTED_FRAME', message: `No prompted frame ${by > 0 ? 'after' : 'before'} frame ${this.player.current}.` });
    else this.player.step(f - this.player.current);
  }

  jumpLowConfidence(): void {
    const f = nextLowConfidenceFrame(this.tracks.list, this.player.current);
    if (f === null) this.errors.notice({ code: 'ALL_CONFIDENT', message: 'No frame has a low-confidence mask.' });
    else this.player.step(f - this.player.current);
  }

  openExport(): void {
    const frames = this.project.state?.video.frames ?? 0;
    this.exporter.show(
      this.review.range(frames),
      this.objects.list.map((o) => o.id),
      this.project.state?.video.name ?? 'video',
    );
  }

  /** A key the keymap understood; false when it does nothing here (so Tab can move focus). */
  handleKey(a: KeyAction): boolean {
    return applyKey(this, a);
  }

  #propagationEnded(j: JobSnapshot): void {
    if (j.state === 'cancelled') {
      this.errors.notice({
        code: 'CANCELLED',
        message: `${this.propagation.label || j.label} was cancelled after ${j.done} of ${j.total} frames; the frames done are kept.`,
      });
    }
    // tracks.updated brings the final bars; the frame on screen may have changed under us
    this.masks.ensure(this.player.current);
  }
}
