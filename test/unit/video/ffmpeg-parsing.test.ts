// Parsing ffmpeg's text: -progress reports, the codec list, frame names and manifests.
import { describe, expect, it } from 'vitest';
import { createProgressParser } from '../../../src-main/core/video/tool-output';
import { parseDecodableCodecs } from '../../../src-main/core/video/ffmpeg-caps';
import { frameDigits, frameFileName } from '../../../src-main/core/video';
import { parseManifest } from '../../../src-main/core/video/frame-cache';

describe('progress parser', () => {
  it('reports once per block, with the frame count and output time', () => {
    const reports: unknown[] = [];
    const feed = createProgressParser((p) => reports.push(p));
    const lines = [
      'frame=12',
      'fps=0.0',
      'stream_0_0_q=2.0',
      'out_time_us=480000',
      'out_time_ms=480000',
      'out_time=00:00:00.480000',
      'speed=0.95x',
      'progress=continue',
      '[mjpeg @ 0x1] some warning',
      'frame=  30',
      'out_time_ms=N/A',
      'progress=end',
    ];
    const progressLines = lines.map(feed);
    expect(reports).toEqual([
      { frame: 12, outTimeSec: 0.48 },
      { frame: 30, outTimeSec: null },
    ]);
    expect(progressLines[8]).toBe(false); // ffmpeg's messages are not progress
    expect(progressLines.filter(Boolean)).toHaveLength(11);
  });
});

describe('parseDecodableCodecs', () => {
  it('keeps codecs with the D flag and skips the legend', () => {
    const text = [
      'Codecs:',
      ' D..... = Decoding supported',
      ' .E.... = Encoding supported',
      ' -------',
      ' DEV.LS h264                 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10',
      ' .EVIL. a64_multi            Multicolor charset for Commodore 64',
      ' D.V.L. vp9                  Google VP9',
      ' DEAIL. aac                  AAC',
    ].join('\n');
    expect([...parseDecodableCodecs(text)].sort()).toEqual(['aac', 'h264', 'vp9']);
  });
});

describe('frame names', () => {
  const table: [number, number][] = [
    [1, 5],
    [100000, 5],
    [100001, 6],
    [2_000_000, 7],
  ];
  it.each(table)('%d frames → %d digits', (frames, digits) => {
    expect(frameDigits(frames)).toBe(digits);
  });
  it('pads to the width and grows past it like printf', () => {
    expect(frameFileName(0)).toBe('00000.jpg');
    expect(frameFileName(42, 6)).toBe('000042.jpg');
    expect(frameFileName(123456)).toBe('123456.jpg');
  });
});

describe('parseManifest', () => {
  const key = 'ab'.repeat(32);
  const good = { format: 'maskline-frames', version: 1, key, frames: 10, digits: 5, probe: { frames: 10 } };
  const table: [string, string, boolean][] = [
    ['valid', JSON.stringify(good), true],
    ['half written', JSON.stringify(good).slice(0, 30), false],
    ['another video', JSON.stringify({ ...good, key: 'cd'.repeat(32) }), false],
    ['another format', JSON.stringify({ ...good, format: 'x' }), false],
    ['newer version', JSON.stringify({ ...good, version: 2 }), false],
    ['no frames', JSON.stringify({ ...good, frames: 0 }), false],
    ['bad digits', JSON.stringify({ ...good, digits: 3 }), false],
    ['no probe', JSON.stringify({ ...good, probe: null }), false],
    ['null', 'null', false],
  ];
  it.each(table)('%s', (_n, text, ok) => {
    expect(parseManifest(text, key) !== null).toBe(ok);
  });
});
