// The one API contract between the renderer and the services.
// Electron IPC (preload + main) and the browser host (HTTP + WebSocket) are both thin
// adapters over it; the renderer only ever sees `MasklineApi`.
// Types only (plus the method/event name lists), so it can be imported from any side.
import type { BatchStatusView, BatchSubmitRequest } from './contract-batch';
import type {
  LabelCrop,
  LabelModelsState,
  LabelModelSummary,
  LabelModelVariant,
  LabelSetInfo,
  LabelSuggestion,
  ObjectLabelRecord,
  ProposalLabel,
} from './contract-labels';
import type { CatalogEntrySummary, EngineStatus, ModelPackInfo, PreencodeSettings, PreencodeStatus, ProviderChoice } from './contract-models';
import type { ExportRequest, ImportAnnotationsRequest, ImportReport, Proposal, SegmentEverythingRequest } from './contract-transfer';

// ---------- shared value types ----------

/** 'fixed': an imported mask kept as it is (shown, exported, never rewritten by propagation) */
export type MaskSource = 'prompt' | 'propagated' | 'corrected' | 'fixed';
export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
export type Direction = 'forward' | 'backward' | 'both';

/** A binary mask as row-major run lengths: counts alternate background/foreground, starting with background. */
export interface Rle {
  h: number;
  w: number;
  counts: number[];
}

export interface ToolInfo {
  path: string;
  /** where the binary came from: MASKLINE_FFMPEG/MASKLINE_FFPROBE, ffmpeg-static, @ffmpeg-installer, or the system PATH */
  source: 'env' | 'ffmpeg-static' | 'ffmpeg-installer' | 'path';
  version: string;
}

export interface AppInfo {
  version: string;
  /** who runs the services: the Electron app, the browser host, or `maskline run` (no UI) */
  transport: 'electron' | 'browser' | 'cli';
  platform: string;
  dataDir: string;
  /** the user's home folder and Documents (home when there is none): the export dialog's default lives there */
  homeDir: string;
  documentsDir: string;
  ffmpeg: ToolInfo | null;
  ffprobe: ToolInfo | null;
  /** problems the UI should show at start-up (missing ffmpeg, no model pack, ...) */
  warnings: string[];
}

export interface VideoInfo {
  /** content key: sha256 of size + mtime + the first MiB; names the frame cache folder */
  key: string;
  path: string;
  name: string;
  frames: number;
  fps: number;
  width: number;
  height: number;
  durationSec: number;
  rotation: number;
  codec: string;
  hasAudio: boolean;
  /** true once every frame is in the JPEG cache */
  extracted: boolean;
}

export interface ObjectInfo {
  id: number;
  name: string;
  color: string;
  label: string;
  hidden: boolean;
  locked: boolean;
}

export interface PromptInfo {
  objectId: number;
  frame: number;
  /** video pixels */
  points: [number, number][];
  /** 1 positive, 0 negative */
  labels: number[];
  box: [number, number, number, number] | null;
  hasMask: boolean;
}

export interface ObjectMask {
  objectId: number;
  rle: Rle;
  /** object score logit: > 0 means the model thinks the object is present */
  score: number;
  source: MaskSource;
}

export interface FrameMasks {
  frame: number;
  masks: ObjectMask[];
}

/** The alternatives the decoder offered for a single click, so the user can cycle them. */
export interface MaskCandidates {
  objectId: number;
  frame: number;
  masks: Rle[];
  iouScores: number[];
  chosen: number;
}

export interface TrackSummary {
  objectId: number;
  /** frames that have a mask, ascending */
  frames: number[];
  /** object score logit per entry of `frames` */
  scores: number[];
  /** prompted (conditioning) frames */
  promptFrames: number[];
}

export interface ProjectState {
  dir: string;
  video: VideoInfo;
  /** frame cache is incomplete while this job runs */
  extractJobId: string | null;
  /** frames 0 … framesReady-1 can be read from the cache now (equals video.frames once extracted) */
  framesReady: number;
  /** things worth knowing that did not stop the open (e.g. an 8K video's memory use) */
  warnings: string[];
  objects: ObjectInfo[];
  prompts: PromptInfo[];
  tracks: TrackSummary[];
  engine: EngineStatus | null;
  canUndo: boolean;
  canRedo: boolean;
  /** what undo / redo would do, e.g. "Add point on frame 12", "Propagation forward 0–120" */
  undoLabel: string | null;
  redoLabel: string | null;
  /**
   * The project's video file moved or vanished (or its content changed): the UI asks the user
   * to locate it and calls project.relocateVideo. Frames already cached keep working.
   */
  videoMissing: boolean;
  /** the project's folder (or the data dir) cannot be written: open for viewing and export only; edits answer READ_ONLY */
  readOnly?: boolean;
  /** a running job that makes prompting and undo/redo answer BUSY (e.g. propagation); removing an object instead cancels it first, keeping the frames it wrote */
  busy: { jobId: string; kind: string } | null;
  /** where the user left the project (project.saveView): restored on reopen; null before the first save */
  view: SavedView | null;
}

/** The playhead, the zoom/pan (null: fitted) and the selected object of a project, as last saved. */
export interface SavedView {
  frame: number;
  zoom: { scale: number; tx: number; ty: number } | null;
  objectId: number | null;
}

export interface RecentProject {
  dir: string;
  videoName: string;
  openedAt: string;
}

export interface JobSnapshot {
  id: string;
  kind: string;
  label: string;
  state: JobState;
  done: number;
  total: number;
  unit: string;
  /** units per second over the recent window */
  rate: number | null;
  etaSec: number | null;
  error: string | null;
  /** the failure's code (e.g. DISK_FULL), null unless failed */
  errorCode: string | null;
  /** a small JSON result of a finished job (e.g. an export's output folder and warnings), else null */
  result: unknown | null;
}

// ---------- model packs, providers and the engine's status: contract-models.ts ----------

export * from './contract-models';

// ---------- exports, imports and segment everything: contract-transfer.ts ----------

export * from './contract-transfer';

// ---------- labels (zero-shot CLIP, docs/labels.md): contract-labels.ts ----------

export * from './contract-labels';

// ---------- batch pre-annotation on a Redis queue (docs/batch.md): contract-batch.ts ----------

export * from './contract-batch';

// ---------- errors ----------

/** Errors cross every transport as plain data. */
export interface ApiError {
  code: string;
  message: string;
  details?: unknown;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

// ---------- methods ----------

export interface ApiMethods {
  'app.info': { args: Record<string, never>; result: AppInfo };
  'app.recentProjects': { args: Record<string, never>; result: RecentProject[] };
  /** Electron shows the file or folder in the OS file manager; the browser host answers { opened: false } (the UI shows the path to copy). */
  'app.revealPath': { args: { path: string }; result: { opened: boolean } };
  /** Electron only: native dialogs. The browser host answers null (the UI shows a path field instead). */
  'dialog.openVideo': { args: Record<string, never>; result: string | null };
  'dialog.chooseFolder': { args: { title?: string }; result: string | null };

  /** Open a video: creates (or reuses) its project folder and starts frame extraction. */
  'project.openVideo': { args: { path: string; projectDir?: string }; result: ProjectState };
  'project.open': { args: { dir: string }; result: ProjectState };
  'project.state': { args: Record<string, never>; result: ProjectState | null };
  'project.close': { args: Record<string, never>; result: null };
  'project.saveView': { args: SavedView; result: null };
  /** The project's video moved: point it at the new file (checked to be the same video). */
  'project.relocateVideo': { args: { path: string }; result: ProjectState };

  'objects.add': { args: { name?: string; label?: string }; result: ObjectInfo };
  'objects.update': {
    args: { id: number; name?: string; color?: string; label?: string; hidden?: boolean; locked?: boolean };
    result: ObjectInfo;
  };
  'objects.remove': { args: { id: number }; result: null };

  /**
   * Points in video pixels, labels 1 (positive) / 0 (negative), optional box. With clearOld
   * (default true) the points REPLACE the frame's point list for that object: the UI sends the
   * frame's full list on every click, as SAM 2's notebook does. Every call is kept in the
   * project's click history, so undo and replay are exact. The answer holds the frame's masks
   * of all objects, and for a single click the multimask candidates.
   */
  'prompts.add': {
    args: {
      objectId: number;
      frame: number;
      points: [number, number][];
      labels: number[];
      box?: [number, number, number, number];
      /** default true: the given points replace the frame's points for this object */
      clearOld?: boolean;
    };
    result: { frame: FrameMasks; candidates: MaskCandidates | null };
  };
  'prompts.chooseCandidate': { args: { objectId: number; frame: number; index: number }; result: FrameMasks };
  /** The alternatives of the single click that is the object's prompt on the frame, kept with the project (null: none) */
  'prompts.candidates': { args: { objectId: number; frame: number }; result: MaskCandidates | null };
  /**
   * The mask (video size) becomes the object's prompt on the frame, stored exactly as given (a
   * painted or imported mask). exclusive: its pixels are also removed from the other unlocked
   * objects' masks on that frame, in the same undo step.
   */
  'prompts.addMask': { args: { objectId: number; frame: number; rle: Rle; exclusive?: boolean }; result: FrameMasks };
  'prompts.clearFrame': { args: { objectId: number; frame: number }; result: FrameMasks };

  'history.undo': { args: Record<string, never>; result: ProjectState };
  'history.redo': { args: Record<string, never>; result: ProjectState };

  'track.propagate': {
    args: { frame: number; direction: Direction; range?: [number, number]; objectIds?: number[] };
    result: { jobId: string };
  };
  /** Recompute the frames after `frame` up to the next prompted frame of each object. */
  'track.repropagateFrom': { args: { frame: number }; result: { jobId: string } };

  'masks.frame': { args: { frame: number }; result: FrameMasks };
  'masks.tracks': { args: Record<string, never>; result: TrackSummary[] };

  'jobs.list': { args: Record<string, never>; result: JobSnapshot[] };
  'jobs.cancel': { args: { id: string }; result: null };

  'models.list': { args: Record<string, never>; result: ModelPackInfo[] };
  'models.catalog': { args: Record<string, never>; result: CatalogEntrySummary[] };
  /** switching an open project's pack to another family answers FAMILY_SWITCH (with what it means) unless confirmFamilySwitch */
  'models.select': { args: { id: string; confirmFamilySwitch?: boolean }; result: EngineStatus };
  /** the execution-provider setting (kept across runs); the engine reopens with it */
  'engine.setProvider': { args: { provider: ProviderChoice }; result: EngineStatus };
  'models.import': { args: { dir: string }; result: ModelPackInfo };
  'models.download': { args: { catalogId: string }; result: { jobId: string } };

  'export.run': { args: ExportRequest; result: { jobId: string } };
  /** Runs as a job (kind 'import', progress, cancel) and answers its report when done; not undoable (the undo history is cleared). */
  'annotations.import': { args: ImportAnnotationsRequest; result: ImportReport };

  'segment.everything': { args: SegmentEverythingRequest; result: { jobId: string } };
  'segment.proposals': { args: { frame: number }; result: Proposal[] };
  'segment.keep': { args: { frame: number; proposalIds: number[] }; result: ObjectInfo[] };
  /** Validates every video and the seed, then enqueues one job per video (BAD_MANIFEST lists every problem; nothing is enqueued then). */
  'batch.submit': { args: BatchSubmitRequest; result: { added: string[]; skipped: { id: string; state: string }[] } };
  'batch.status': { args: { redisUrl: string }; result: BatchStatusView };
  /** ids empty: every waiting and running job */
  'batch.cancel': { args: { redisUrl: string; ids: string[] }; result: { removed: string[]; stopping: string[]; ignored: string[] } };
  /** ids empty: every failed job */
  'batch.retry': { args: { redisUrl: string; ids: string[] }; result: { retried: string[] } };
  'labels.models': { args: Record<string, never>; result: LabelModelsState };
  'labels.importModel': { args: { dir: string }; result: LabelModelSummary };
  /** makes a model/variant the one labelling uses, for the open project (remembered in it) and as the app's default */
  'labels.selectModel': { args: { id: string; variant: LabelModelVariant }; result: LabelModelsState };
  /** deletes a label model the app imported (LABEL_MODEL_FOREIGN when the folder holds anything else) */
  'labels.removeModel': { args: { id: string }; result: LabelModelsState };
  'labels.getSet': { args: Record<string, never>; result: LabelSetInfo };
  'labels.setSet': { args: { labels: string[]; templates: string[] }; result: LabelSetInfo };
  /** the project's crop options (omitted ones keep their value) */
  'labels.setCrop': { args: { crop: Partial<LabelCrop> }; result: LabelSetInfo };
  /** crop: for this request only, over the project's options */
  'labels.suggest': { args: { objectId: number; framesPerTrack?: number; crop?: Partial<LabelCrop> }; result: LabelSuggestion };
  'labels.labelAll': { args: { framesPerTrack?: number; crop?: Partial<LabelCrop> }; result: { jobId: string } };
  'labels.proposals': { args: { frame: number; crop?: Partial<LabelCrop> }; result: ProposalLabel[] };
  'labels.keepLabel': { args: { frame: number; label: string; minConfidence: number }; result: ObjectInfo[] };
  'labels.info': { args: Record<string, never>; result: Record<string, ObjectLabelRecord> };

  /** The playhead has rested on `frame` (~300 ms without scrubbing): the engine pre-encodes it, then its neighbours, while idle. */
  'engine.preencode': { args: { frame: number }; result: PreencodeStatus };
  /** The pre-encoding setting (kept for the app session, applied to every engine). */
  'engine.setPreencode': { args: Partial<PreencodeSettings>; result: PreencodeStatus };
}

export type MethodName = keyof ApiMethods;
export type MethodArgs<M extends MethodName> = ApiMethods[M]['args'];
export type MethodResult<M extends MethodName> = ApiMethods[M]['result'];

// ---------- events (services -> renderer) ----------

export interface ApiEvents {
  'job.updated': JobSnapshot;
  /** masks produced while a job runs: propagation streams one FrameMasks per propagated frame (all objects computed on it) */
  'masks.updated': FrameMasks;
  'project.changed': ProjectState;
  /** the engine's state changed (loading, ready with its pack/providers/load time, failed, none) */
  'engine.changed': EngineStatus;
  /** every live object's track, after undo/redo, object removal and at the end of a propagation */
  'tracks.updated': TrackSummary[];
  /** the services closed the project themselves (its frame extraction failed or was cancelled) or project.close ran */
  'project.closed': { dir: string; reason: ProjectCloseReason };
  /** a frame's proposals changed: a segment.everything run finished on it, or segment.keep took some of them */
  'segment.proposals': { frame: number; proposals: Proposal[] };
  /** pre-encoding progressed: the resting frame became ready, a frame started encoding, the setting changed */
  'engine.preencode': PreencodeStatus;
}

export type ProjectCloseReason = 'closed' | 'replaced' | 'extraction-failed' | 'extraction-cancelled';

export type EventName = keyof ApiEvents;

/** What the renderer gets from whichever transport it picked at start-up. */
export interface MasklineApi {
  call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  /** URL of one cached JPEG frame of a video (immutable: the key names the content) */
  frameUrl(videoKey: string, frame: number): string;
  readonly transport: 'electron' | 'browser';
  /**
   * Browser transport only (Electron reads local paths directly): send a local file to the
   * host, which stores it under <dataDir>/uploads/; resolves to its path there.
   */
  upload?(file: UploadFile, onProgress?: (sent: number, total: number) => void): Promise<string>;
}

/** What `upload` needs of a browser File (kept structural so this file needs no DOM types). */
export interface UploadFile {
  readonly name: string;
  readonly size: number;
}
