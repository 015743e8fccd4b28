// Opening a video: its content key, its probe and the state of its frame cache. A complete
// cache answers from its manifest (no ffprobe), which makes reopening a project instant.
import { basename, resolve } from 'node:path';
import type { VideoInfo } from '../../api/contract';
import { FrameCache } from './frame-cache';
import { checkVideoFile, probeVideo } from './probe';
import type { ProbeResult } from './types';
import { computeVideoKey } from './video-key';

export interface InspectedVideo {
  path: string;
  key: string;
  size: number;
  mtimeMs: number;
  /** frames = the cached count when the cache is complete */
  probe: ProbeResult;
  cache: FrameCache;
}

export async function inspectVideo(path: string, cacheRoot: string, opts: { signal?: AbortSignal } = {}): Promise<InspectedVideo> {
  const abs = resolve(path);
  await checkVideoFile(abs);
  const { key, size, mtimeMs } = await computeVideoKey(abs);
  const cache = new FrameCache(cacheRoot, key);
  const m = cache.manifest();
  const probe = m ? { ...m.probe, frames: m.frames } : await probeVideo(abs, opts);
  return { path: abs, key, size, mtimeMs, probe, cache };
}

export function toVideoInfo(v: Pick<InspectedVideo, 'path' | 'key' | 'probe' | 'cache'>): VideoInfo {
  const m = v.cache.manifest();
  return {
    key: v.key,
    path: v.path,
    name: basename(v.path),
    frames: m ? m.frames : v.probe.frames,
    fps: v.probe.fps,
    width: v.probe.width,
    height: v.probe.height,
    durationSec: v.probe.durationSec,
    rotation: v.probe.rotation,
    codec: v.probe.codec,
    hasAudio: v.probe.hasAudio,
    extracted: m !== null,
  };
}
