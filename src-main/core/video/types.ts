// Plain data describing a video and its frame cache; shared by probe, extract and the cache.

/** What ffprobe tells us about a video, in the terms the app uses. */
export interface ProbeResult {
  /** decoded frames: every one becomes one cached JPEG, the timeline and the engine count these */
  frames: number;
  /** average frame rate (frames / duration) for display; VFR videos have no single rate */
  fps: number;
  /** as displayed, i.e. after rotation: the size of the extracted JPEGs */
  width: number;
  height: number;
  durationSec: number;
  /** clockwise degrees the player turns the stored picture (0, 90, 180, 270) */
  rotation: number;
  codec: string;
  hasAudio: boolean;
  pixFmt: string;
  /** true when the frame timing varies (frames are still extracted one JPEG per decoded frame) */
  variableFrameRate: boolean;
  /** ffprobe index of the video stream used (not always 0: cover art and data streams exist) */
  streamIndex: number;
  /** things the user should know but that do not stop us (e.g. an 8K video's memory use) */
  warnings: string[];
}

/** Written last into a frame cache folder: a folder without it is not a complete cache. */
export interface FrameCacheManifest {
  format: 'maskline-frames';
  version: 1;
  key: string;
  /** the file the frames came from, when they were extracted (informative: the key decides) */
  source: { path: string; size: number; mtimeMs: number };
  probe: ProbeResult;
  /** JPEG files written, 0-based and contiguous: the authoritative frame count */
  frames: number;
  /** zero-padded width of the file names (5, more when there are > 100000 frames) */
  digits: number;
  quality: number;
  extractedAt: string;
  extractMs: number;
}

export interface ExtractProgress {
  /** frames fully written so far (0..done-1 can be read) */
  done: number;
  total: number;
}
