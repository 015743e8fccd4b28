import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ffmpegPath, ffprobePath, frameColor, frameFromColor, makeVideo, tempDir } from '../helpers/make-video';

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

describe('test video generator options', () => {
  it('keeps odd sizes, adds audio and rotation', () => {
    const t = tempDir();
    try {
      const probe = (f: string) =>
        JSON.parse(execFileSync(ffprobePath(), ['-v', 'error', '-print_format', 'json', '-show_streams', f], { encoding: 'utf8' })) as {
          streams: { codec_type: string; width?: number; height?: number; tags?: Record<string, string>; side_data_list?: { rotation?: number }[] }[];
        };
      const odd = probe(makeVideo(join(t.dir, 'odd.mp4'), { width: 321, height: 241, frames: 3 }));
      expect(odd.streams[0]).toMatchObject({ width: 321, height: 241 });
      const shapes = probe(makeVideo(join(t.dir, 'shapes.mp4'), { width: 161, height: 99, frames: 3, pattern: 'shapes' }));
      expect(shapes.streams[0]).toMatchObject({ width: 161, height: 99 });
      const audio = probe(makeVideo(join(t.dir, 'a.mp4'), { frames: 10, audio: true }));
      expect(audio.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
      const rot = probe(makeVideo(join(t.dir, 'r.mp4'), { frames: 3, rotate: 90 })).streams[0]!;
      const angle = Number(rot.tags?.rotate ?? rot.side_data_list?.find((d) => d.rotation !== undefined)?.rotation);
      expect(Math.abs(angle)).toBe(90);
    } finally {
      t.cleanup();
    }
  });
});
