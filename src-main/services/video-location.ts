// Is the project's video still where the database says, and is a file the user points at the
// same video? A move changes the file's mtime (and so its content key), so "the same video" is:
// same size, same sha256 of the first MiB, and the same probe (frame count and size). The
// fingerprint is remembered in the project's settings whenever the video is seen.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ProjectStore, VideoRow } from '../core/store';
import { computeVideoKey, type FrameCacheManifest, type ProbeResult } from '../core/video';
import { KEY_HEAD_BYTES, readHead } from '../core/video/video-key';

export const FINGERPRINT_SETTING = 'videoFingerprint';

export interface VideoFingerprint {
  size: number;
  /** sha256 (hex) of the first MiB */
  head: string;
}

export async function fingerprintOf(path: string): Promise<VideoFingerprint & { mtimeMs: number; headBytes: Buffer }> {
  const st = await stat(path);
  const head = await readHead(path, Math.min(KEY_HEAD_BYTES, st.size));
  return { size: st.size, mtimeMs: st.mtimeMs, head: createHash('sha256').update(head).digest('hex'), headBytes: head };
}

export type SameVideo = { same: true } | { same: false; reason: string };

/**
 * Pure decision: does what we found match what the project knows? The fingerprint decides when
 * the project has one; otherwise the key recomputed with the original mtime (from the frame
 * cache's manifest) stands in for it; the probe must agree in any case.
 */
export function judgeSameVideo(
  known: { fingerprint: VideoFingerprint | null; key: string; manifestMtimeMs: number | null; probe: Pick<ProbeResult, 'frames' | 'width' | 'height'> },
  found: { fingerprint: VideoFingerprint; keyWithKnownMtime: string | null; probe: Pick<ProbeResult, 'frames' | 'width' | 'height'> },
): SameVideo {
  if (known.fingerprint) {
    if (known.fingerprint.size !== found.fingerprint.size)
      return { same: false, reason: `its size is ${found.fingerprint.size} bytes, the project's video had ${known.fingerprint.size}` };
    if (known.fingerprint.head !== found.fingerprint.head) return { same: false, reason: 'its content differs from the project’s video' };
  } else if (found.keyWithKnownMtime !== null && found.keyWithKnownMtime !== known.key) {
    return { same: false, reason: 'its size or content differs from the project’s video' };
  }
  const a = known.probe;
  const b = found.probe;
  if (a.frames !== b.frames || a.width !== b.width || a.height !== b.height) {
    return { same: false, reason: `it has ${b.frames} frames of ${b.width}×${b.height}, the project's video ${a.frames} of ${a.width}×${a.height}` };
  }
  return { same: true };
}

/**
 * At open: whether the video file is missing or changed. Remembers the fingerprint of a video
 * that is present and unchanged (projects made before fingerprints get one here).
 */
export async function videoPresence(store: ProjectStore, row: VideoRow): Promise<{ missing: boolean; reason: string | null }> {
  if (!existsSync(row.path)) return { missing: true, reason: `${row.path} is no longer there` };
  let fp: Awaited<ReturnType<typeof fingerprintOf>>;
  try {
    fp = await fingerprintOf(row.path);
  } catch (err) {
    return { missing: true, reason: `${row.path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  const known = store.settings.get<VideoFingerprint>(FINGERPRINT_SETTING);
  const same = known ? known.size === fp.size && known.head === fp.head : (await computeVideoKey(row.path)).key === row.key;
  if (!same) return { missing: true, reason: `${row.path} is not the video this project was made from any more (its content changed)` };
  if (!known) rememberFingerprint(store, fp);
  return { missing: false, reason: null };
}

export function rememberFingerprint(store: ProjectStore, fp: VideoFingerprint): void {
  try {
    store.settings.set(FINGERPRINT_SETTING, { size: fp.size, head: fp.head });
  } catch {
    // best effort: a project we cannot write to still opens
  }
}

/** What the project knows about its video, for judgeSameVideo. */
export function knownVideo(store: ProjectStore, row: VideoRow, manifest: FrameCacheManifest | null) {
  const probe = (manifest?.probe ?? row.probe) as ProbeResult;
  return {
    fingerprint: store.settings.get<VideoFingerprint>(FINGERPRINT_SETTING),
    key: row.key,
    manifestMtimeMs: manifest?.source.mtimeMs ?? null,
    probe: { frames: probe.frames, width: probe.width, height: probe.height },
  };
}
