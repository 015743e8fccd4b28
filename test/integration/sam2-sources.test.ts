// Frame sources on real files: a folder of numbered JPEGs (the app's frame cache) and a video
// file decoded by ffmpeg, read at random.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { afterAll, describe, expect, test } from 'vitest';
import { FolderFrameSource } from '../../src-main/core/sam2/frame-source-folder';
import { RAW_DECODE_RESERVE, VideoFileFrameSource } from '../../src-main/core/sam2/frame-source-video';
import { frameColor, frameFromColor, makeVideo, tempDir } from '../helpers/make-video';

const tmp = tempDir('maskline-sources-');
afterAll(() => tmp.cleanup());

function jpegOf(w: number, h: number, rgb: [number, number, number]): Buffer {
  const data = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set([...rgb, 255], i * 4);
  return jpeg.encode({ width: w, height: h, data }, 95).data;
}

describe('folder of numbered frames', () => {
  test('reads JPEG frames in numeric order at random', async () => {
    const dir = join(tmp.dir, 'jpegs');
    mkdirSync(dir);
    for (const i of [0, 1, 2, 10]) writeFileSync(join(dir, `${String(i).padStart(5, '0')}.jpg`), jpegOf(32, 24, frameColor(i)));
    writeFileSync(join(dir, 'index.json'), '{}');
    const s = await FolderFrameSource.open(dir);
    expect([s.numFrames, s.width, s.height]).toEqual([4, 32, 24]);
    const f = await s.read(3);
    expect(frameFromColor([f.data[0]!, f.data[1]!, f.data[2]!])).toBe(10);
    expect(frameFromColor(Array.from((await s.read(1)).data.slice(0, 3)) as [number, number, number])).toBe(1);
    await expect(s.read(4)).rejects.toMatchObject({ code: 'BAD_FRAME' });
  });

  test.each([
    { name: 'an empty folder', files: {}, msg: /holds no numbered frames/ },
    { name: 'a missing folder', files: null, msg: /cannot read the frame folder/ },
  ])('$name is refused', async ({ files, msg }) => {
    const dir = join(tmp.dir, `bad-${Math.random().toString(36).slice(2)}`);
    if (files) mkdirSync(dir);
    await expect(FolderFrameSource.open(dir)).rejects.toMatchObject({ code: 'FRAME_SOURCE', message: expect.stringMatching(msg) });
  });

  test('a damaged or differently sized frame names its file', async () => {
    const dir = join(tmp.dir, 'mixed');
    mkdirSync(dir);
    writeFileSync(join(dir, '0.jpg'), jpegOf(32, 24, [10, 20, 30]));
    writeFileSync(join(dir, '1.jpg'), jpegOf(16, 24, [10, 20, 30]));
    writeFileSync(join(dir, '2.jpg'), Buffer.from('not a jpeg'));
    const s = await FolderFrameSource.open(dir);
    await expect(s.read(1)).rejects.toMatchObject({ message: expect.stringMatching(/1\.jpg is 16x24, the first frame is 32x24/) });
    await expect(s.read(2)).rejects.toMatchObject({ code: 'FRAME_SOURCE', message: expect.stringMatching(/cannot decode frame .*2\.jpg/) });
  });
});

describe('video file', () => {
  test('decodes every frame once and reads them at random', async () => {
    const video = makeVideo(join(tmp.dir, 'colors.mp4'), { width: 64, height: 48, frames: 40, pattern: 'colors' });
    const s = await VideoFileFrameSource.open(video);
    try {
      expect([s.numFrames, s.width, s.height]).toEqual([40, 64, 48]);
      for (const i of [37, 0, 12, 39]) {
        const f = await s.read(i);
        const c = (32 * 64 + 32) * 3;
        expect(frameFromColor([f.data[c]!, f.data[c + 1]!, f.data[c + 2]!])).toBe(i);
      }
    } finally {
      await s.close();
    }
  });

  test('a decode the folder cannot hold is refused before it starts, saying what it needs and the ways out; nothing is left behind', async () => {
    const video = makeVideo(join(tmp.dir, 'space.mp4'), { width: 64, height: 48, frames: 40, pattern: 'colors' });
    const parent = join(tmp.dir, 'small-disk');
    mkdirSync(parent);
    const need = 40 * 64 * 48 * 3;
    // the folder's free space as statfs would report it: just short of the frames and the reserve
    const short = RAW_DECODE_RESERVE + need - 1;
    const err = await VideoFileFrameSource.open(video, { tmpDir: parent, freeBytes: () => short }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'FRAME_SOURCE', details: { needBytes: need, freeBytes: short, dir: parent } });
    expect((err as Error).message).toMatch(/space\.mp4 \(40 frames at 64x48\) needs .* give a folder of its frames instead .* TMPDIR/);
    expect(readdirSync(parent)).toEqual([]);
    // one byte more and it decodes
    const s = await VideoFileFrameSource.open(video, { tmpDir: parent, freeBytes: () => short + 1 });
    expect(s.numFrames).toBe(40);
    await s.close();
    expect(readdirSync(parent)).toEqual([]);
  });

  test('a file that is not a video is refused with its name', async () => {
    const p = join(tmp.dir, 'fake.mp4');
    writeFileSync(p, 'hello');
    await expect(VideoFileFrameSource.open(p)).rejects.toMatchObject({ code: 'FRAME_SOURCE', message: expect.stringContaining('fake.mp4') });
  });
});
