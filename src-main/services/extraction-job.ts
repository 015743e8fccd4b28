// Frame extraction as a job: ffmpeg runs in its own process (core/video), this only relays
// how many frames are on disk so the UI can show them while the rest is extracted.
import type { JobRegistry, JobHandle } from '../core/jobs';
import { startExtraction, type FrameCacheManifest, type FrameExtraction } from '../core/video';
import type { OpenProject } from './current-project';

/** ffmpeg reports about twice a second; the first frame should not wait for that. */
const POLL_MS = 100;

export function startExtractionJob(
  jobs: JobRegistry,
  project: OpenProject,
  /** an earlier extraction of the same video that must have stopped first (one ffmpeg per cache folder) */
  previous: Promise<void>,
): JobHandle<FrameCacheManifest> {
  const { video } = project;
  const name = video.path.split(/[\\/]/).pop() ?? video.path;
  return jobs.create(
    'extract',
    `Extracting frames · ${name}`,
    async (ctx) => {
      await previous;
      ctx.signal.throwIfAborted();
      let x: FrameExtraction | undefined;
      const report = () => x && ctx.report(x.framesReady(), video.probe.frames, 'frames');
      x = startExtraction({
        videoPath: video.path,
        cacheRoot: video.cache.cacheRoot,
        key: video.key,
        probe: video.probe,
        signal: ctx.signal,
        onProgress: report,
      });
      const timer = setInterval(report, POLL_MS);
      try {
        const manifest = await x.done;
        ctx.report(manifest.frames, manifest.frames, 'frames');
        return manifest;
      } finally {
        clearInterval(timer);
      }
    },
    { total: video.probe.frames, unit: 'frames' },
  );
}
