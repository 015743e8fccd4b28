import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ffmpegPath, frameColor, frameFromColor, makeVideo, tempDir } from '../helpers/make-video';

describe('test video generator', () => {
  it('encodes the frame index in each frame colour', () => {
    const t = tempDir();
    try {
      const file = makeVideo(join(t.dir, 'c.mp4'), { frames: 40, width: 64, height: 48 });
      const raw = execFileSync(ffmpegPath(), ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
      const frameBytes = 64 * 48 * 3;
      expect(raw.length).toBe(frameBytes * 40);
      for (const i of [0, 1, 7, 23, 39]) {
        const o = i * frameBytes + (24 * 64 + 32) * 3;
        expect(frameFromColor([raw[o]!, raw[o + 1]!, raw[o + 2]!])).toBe(i);
      }
      expect(frameFromColor(frameColor(200))).toBe(200);
    } finally {
      t.cleanup();
    }
  });
});
