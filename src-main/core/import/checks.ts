// Checks every reader applies to a mask before it is accepted: its size is the video's and its
// frame exists. Also the frame number of a file named like our exports (`00012.png`).
import { encodeMask } from '../masks/rle';
import type { Rle } from '../../api/contract';
import { bad, type VideoShape } from './types';

export function checkFrame(entry: string, frame: number, video: VideoShape): number {
  if (!Number.isInteger(frame) || frame < 0) throw bad(entry, `frame ${frame} is not a frame index`);
  if (frame >= video.frames) throw bad(entry, `frame ${frame} is past the end of the video (its last frame is ${video.frames - 1})`);
  return frame;
}

export function checkSize(entry: string, width: number, height: number, video: VideoShape): void {
  if (width !== video.width || height !== video.height) {
    throw bad(entry, `the mask is ${width}×${height}, the video is ${video.width}×${video.height}`);
  }
}

/** A 0/1 (or any non-zero) bitmap of the video's size as RLE. */
export function bitmapRle(bitmap: Uint8Array, video: VideoShape): Rle {
  return encodeMask(bitmap, video.height, video.width);
}

/** `00012.png` → 12; names that are not a number → null. */
export function frameOfName(name: string): number | null {
  const m = /^(\d+)\.[A-Za-z0-9]+$/.exec(name);
  return m ? Number(m[1]) : null;
}

/** Any non-empty pixel? Empty masks (our PNG export writes every frame) are not imported. */
export function anySet(bitmap: Uint8Array): boolean {
  for (let i = 0; i < bitmap.length; i++) if (bitmap[i]) return true;
  return false;
}
