// The one path check between a frame request (browser host URL or Electron's
// maskline-frame:// protocol) and the file system: only a well-formed video key and frame
// number, only frames already written, and only inside that video's cache folder.
import { join, resolve } from 'node:path';
import { FRAME_PROTOCOL_HOST, FRAME_SCHEME } from '../api/bridge';
import { isInside } from './path-containment';

/** Video keys are lower-case hex content hashes (see core/video/video-key). */
const KEY = /^[0-9a-f]{16,128}$/;
/** A frame number: digits only, no sign, no leading zeros beyond "0", optional .jpg */
const FRAME = /^(0|[1-9][0-9]{0,8})(\.jpg)?$/;

export interface FrameRef {
  key: string;
  frame: number;
}

/** "<key>/<frame>" or "<key>/<frame>.jpg" (already split off the route prefix) → its parts. */
export function parseFrameRef(rest: string): FrameRef | null {
  const parts = rest.split('/');
  if (parts.length !== 2) return null;
  const [key, frameText] = parts as [string, string];
  if (!KEY.test(key)) return null;
  const m = FRAME.exec(frameText);
  if (!m) return null;
  return { key, frame: Number(m[1]) };
}

/** The FrameRef a maskline-frame:// request names (see frameProtocolUrl), or null for anything else. */
export function parseFrameProtocolUrl(url: string, scheme = FRAME_SCHEME): FrameRef | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${scheme}:` || u.hostname !== FRAME_PROTOCOL_HOST || u.search || u.hash || u.username || u.port) return null;
  return parseFrameRef(u.pathname.slice(1));
}

/**
 * The file of `ref` under `framesRoot`, or null when the frame is not readable yet
 * (`ready` frames 0 … ready-1 are complete) or the result would leave the key's folder.
 */
export function frameFilePath(framesRoot: string, ref: FrameRef, ready: number, fileName: (frame: number) => string): string | null {
  if (!KEY.test(ref.key) || !Number.isInteger(ref.frame) || ref.frame < 0 || ref.frame >= ready) return null;
  const dir = resolve(framesRoot, ref.key);
  const path = resolve(join(dir, fileName(ref.frame)));
  return isInside(dir, path) && path !== dir ? path : null;
}
