// The project that is open: its database, its video and the state of its frame cache.
import type { ProjectState } from '../api/contract';
import { ProjectStore, SETTING_KEYS, toPromptInfo } from '../core/store';
import { readSavedView } from './saved-view';
import { FrameCache, frameDigits, frameFileName, toVideoInfo, type ProbeResult } from '../core/video';
import { frameFilePath, type FrameRef } from './frame-request';

export interface ProjectVideo {
  path: string;
  key: string;
  probe: ProbeResult;
  cache: FrameCache;
}

export class OpenProject {
  /** the running extraction job, null once the cache is complete (or extraction ended) */
  extractJobId: string | null = null;
  /** the video file moved, vanished or changed: the UI asks for it (project.relocateVideo) */
  videoMissing = false;

  constructor(
    readonly store: ProjectStore,
    readonly video: ProjectVideo,
    /** this open created the project folder's database (a failed first extraction removes it again) */
    readonly createdNow: boolean,
  ) {}

  get dir(): string {
    return this.store.dir;
  }

  framesReady(): number {
    return this.video.cache.framesReady();
  }

  state(): ProjectState {
    return {
      dir: this.store.dir,
      video: toVideoInfo(this.video),
      extractJobId: this.extractJobId,
      framesReady: this.framesReady(),
      warnings: [...(this.video.probe.warnings ?? [])],
      objects: this.store.objects.list(),
      prompts: this.store.prompts.list().map(toPromptInfo),
      tracks: this.store.trackSummaries(),
      engine: null,
      canUndo: false,
      canRedo: false,
      undoLabel: null,
      redoLabel: null,
      videoMissing: false,
      busy: null,
      view: readSavedView(this.store.settings.get(SETTING_KEYS.view)),
    };
  }

  /** The JPEG of one of this project's frames, only once it is completely written. */
  frameFile(ref: FrameRef): string | null {
    if (ref.key !== this.video.key) return null;
    const digits = this.video.cache.manifest()?.digits ?? frameDigits(this.video.probe.frames);
    return frameFilePath(this.video.cache.cacheRoot, ref, this.framesReady(), (i) => frameFileName(i, digits));
  }

  close(): void {
    this.store.close();
  }
}
