// Public entry of the video module: which ffmpeg, probing, the content key, and the frame cache.
// Everything here is plain Node (no electron); ffmpeg and ffprobe run as child processes, so
// no per-frame work happens on the caller's event loop.
export { resolveTool, requireTool, resetToolCache, toolCandidates, ToolMissingError } from './ffmpeg-tools';
export type { ProbeResult, FrameCacheManifest, ExtractProgress } from './types';
export { VideoError, isVideoError, toApiError, type VideoErrorCode } from './errors';
export { probeVideo, MAX_LONG_SIDE, WARN_LONG_SIDE } from './probe';
export { interpretProbe, rotationOf } from './probe-interpret';
export { computeVideoKey } from './video-key';
export { FrameCache, frameFileName, frameDigits, MANIFEST_FILE } from './frame-cache';
export { startExtraction, extractFrames, isExtracting, DEFAULT_JPEG_QUALITY, type ExtractOptions, type FrameExtraction } from './extract';
export { runFfmpeg, type FfmpegJob, type FfmpegProgress } from './ffmpeg';
export { ffmpegInputUrl, runTool, startTool, ToolRunError, type SpawnFn, type ToolProcess } from './tool-runner';
export { checkVideoFile } from './probe';
export { inspectVideo, toVideoInfo, type InspectedVideo } from './inspect';
