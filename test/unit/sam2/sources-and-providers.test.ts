import { describe, expect, test } from 'vitest';
import { orderFrameFiles } from '../../../src-main/core/sam2/frame-source-folder';
import { MemoryFrameSource } from '../../../src-main/core/sam2/frame-source';
import { parseOutputSize, RAW_DECODE_RESERVE, rawDecodeSpace } from '../../../src-main/core/sam2/frame-source-video';

describe('frame folder ordering (SAM 2 style)', () => {
  test.each([
    { names: ['00002.jpg', '00000.jpg', '00001.jpg'], want: ['00000.jpg', '00001.jpg', '00002.jpg'] },
    { names: ['10.png', '9.png', '100.png'], want: ['9.png', '10.png', '100.png'] },
    { names: ['1.JPEG', 'notes.txt', 'a1.jpg', '2.jpeg', 'thumb.png'], want: ['1.JPEG', '2.jpeg'] },
    { names: ['3.jpg', '7.jpg'], want: ['3.jpg', '7.jpg'] },
    { names: [], want: [] },
  ])('$names', ({ names, want }) => {
    expect(orderFrameFiles(names)).toEqual(want);
  });

  test('two files with the same number are refused', () => {
    expect(() => orderFrameFiles(['1.jpg', '001.png'])).toThrow(
      expect.objectContaining({ code: 'FRAME_SOURCE', message: expect.stringMatching(/same number 1/) }),
    );
  });
});

describe('in-memory frames', () => {
  test('frames must share one size and hold RGB bytes; reads check the index', async () => {
    const f = (w: number, h: number) => ({ width: w, height: h, data: new Uint8Array(w * h * 3) });
    expect(() => new MemoryFrameSource([])).toThrow(/no frames/);
    expect(() => new MemoryFrameSource([f(4, 4), f(4, 5)])).toThrow(/frame 1 is 4x5/);
    expect(() => new MemoryFrameSource([{ width: 2, height: 2, data: new Uint8Array(5) }])).toThrow(/5 bytes/);
    const s = new MemoryFrameSource([f(4, 4), f(4, 4)]);
    await expect(s.read(2)).rejects.toMatchObject({ code: 'BAD_FRAME' });
    await expect(s.read(-1)).rejects.toMatchObject({ code: 'BAD_FRAME' });
    expect((await s.read(1)).width).toBe(4);
  });
});

describe('ffmpeg output size', () => {
  test('reads the rawvideo output stream, not the input stream', () => {
    const log = [
      "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'a.mp4':",
      '    Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p, 1920x1080, 25 fps',
      "Output #0, rawvideo, to 'frames.rgb':",
      '    Stream #0:0(und): Video: rawvideo (RGB[24] / 0x18424752), rgb24, 1080x1920, q=2-31, 1244160 kb/s, 25 fps',
    ].join('\n');
    expect(parseOutputSize(log)).toEqual({ width: 1080, height: 1920 });
    expect(parseOutputSize('nothing here')).toBeNull();
  });
});

describe('rawDecodeSpace: the raw frames and a reserve must fit the free space', () => {
  const GB = 1e9;
  test.each([
    ['10,000 frames at 1080p, 60 GB free', 10_000, 1920, 1080, 60 * GB, 62_208_000_000, false],
    ['600 frames at 1080p', 600, 1920, 1080, 64 * GB, 3_732_480_000, true],
    ['exactly the frames and the reserve', 10, 100, 100, 300_000 + RAW_DECODE_RESERVE, 300_000, true],
    ['one byte short', 10, 100, 100, 300_000 + RAW_DECODE_RESERVE - 1, 300_000, false],
    ['no count from ffprobe (NaN): refuses nothing', NaN, 1920, 1080, 0, 0, true],
    ['a count of 0', 0, 1920, 1080, 0, 0, true],
  ])('%s', (_, frames, w, h, free, need, fits) => {
    expect(rawDecodeSpace(frames, w, h, free)).toEqual({ needBytes: need, fits });
  });
});
