// ffprobe JSON → ProbeResult or a VideoError: every rule, table-style on hand-written JSON.
import { describe, expect, it } from 'vitest';
import { MAX_LONG_SIDE, VideoError, interpretProbe, rotationOf } from '../../../src-main/core/video';
import type { FfprobeJson, FfprobeStream } from '../../../src-main/core/video/probe-interpret';
import { ffprobeFailure, looksLikeIsoMedia } from '../../../src-main/core/video/probe';

const video = (over: Partial<FfprobeStream> = {}): FfprobeStream => ({
  index: 0,
  codec_type: 'video',
  codec_name: 'h264',
  width: 640,
  height: 360,
  pix_fmt: 'yuv420p',
  avg_frame_rate: '25/1',
  r_frame_rate: '25/1',
  nb_frames: '100',
  nb_read_packets: '100',
  duration: '4.000000',
  ...over,
});
const audio: FfprobeStream = { index: 1, codec_type: 'audio', codec_name: 'aac' };
const probe = (streams: FfprobeStream[], format: FfprobeJson['format'] = { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '4.0' }) =>
  interpretProbe({ streams, format }, 'clip.mp4', (c) => ['h264', 'mjpeg', 'vp9'].includes(c));

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(VideoError);
    return (e as VideoError).code;
  }
  return 'no error';
}

describe('interpretProbe: good videos', () => {
  const table: [string, FfprobeStream[], Record<string, unknown>][] = [
    ['plain', [video()], { frames: 100, fps: 25, width: 640, height: 360, durationSec: 4, rotation: 0, codec: 'h264', hasAudio: false, streamIndex: 0 }],
    ['with audio', [video(), audio], { hasAudio: true }],
    ['no container frame count (mkv)', [video({ nb_frames: undefined })], { frames: 100 }],
    ['frame count N/A', [video({ nb_frames: 'N/A' })], { frames: 100 }],
    [
      'rotated 90 by display matrix (counter-clockwise -90)',
      [video({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] })],
      { rotation: 90, width: 360, height: 640 },
    ],
    ['rotated by legacy tag', [video({ tags: { rotate: '270' } })], { rotation: 270, width: 360, height: 640 }],
    ['upside down', [video({ side_data_list: [{ rotation: 180 }] })], { rotation: 180, width: 640, height: 360 }],
    [
      'VFR: average rate shown',
      [video({ avg_frame_rate: '25/2', r_frame_rate: '25/1', nb_frames: '30', nb_read_packets: '30', duration: '2.4' })],
      { fps: 12.5, variableFrameRate: true, frames: 30 },
    ],
    ['NTSC rate is not VFR', [video({ avg_frame_rate: '30000/1001', r_frame_rate: '30000/1001' })], { variableFrameRate: false }],
    ['no avg rate: frames / duration', [video({ avg_frame_rate: '0/0' })], { fps: 25 }],
    ['no stream duration: the format one', [video({ duration: undefined })], { durationSec: 4 }],
    [
      'cover art before the real video',
      [{ ...video({ index: 0, codec_name: 'mjpeg', disposition: { attached_pic: 1 } }) }, video({ index: 2 })],
      { streamIndex: 2 },
    ],
    ['8K', [video({ width: 7680, height: 4320 })], { width: 7680, height: 4320 }],
    ['DCI 8K at the limit', [video({ width: MAX_LONG_SIDE, height: 4320 })], { width: MAX_LONG_SIDE }],
    ['one frame', [video({ nb_frames: '1', nb_read_packets: '1', duration: '0.04' })], { frames: 1 }],
    ['GIF is a video', [video({ codec_name: 'mjpeg' })], { codec: 'mjpeg' }],
  ];
  it.each(table)('%s', (_n, streams, expected) => {
    expect(probe(streams)).toMatchObject(expected);
  });

  it('warns above 4K and for VFR, not for plain HD', () => {
    expect(probe([video({ width: 7680, height: 4320 })]).warnings.join()).toMatch(/7680×4320/);
    expect(probe([video({ avg_frame_rate: '12/1', r_frame_rate: '25/1' })]).warnings.join()).toMatch(/variable frame rate/);
    expect(probe([video({ width: 1920, height: 1080 })]).warnings).toEqual([]);
  });
});

describe('interpretProbe: refusals', () => {
  const table: [string, () => unknown, string][] = [
    ['no streams at all', () => probe([]), 'NO_VIDEO_STREAM'],
    ['audio only', () => probe([audio]), 'NO_VIDEO_STREAM'],
    ['music with cover art only', () => probe([audio, video({ index: 1, disposition: { attached_pic: 1 } })]), 'NO_VIDEO_STREAM'],
    ['video stream without frames', () => probe([video({ nb_frames: '0', nb_read_packets: '0' })]), 'NO_VIDEO_STREAM'],
    ['still PNG', () => probe([video({ codec_name: 'mjpeg', nb_frames: undefined, nb_read_packets: '1' })], { format_name: 'png_pipe' }), 'NOT_A_VIDEO'],
    ['still image2', () => probe([video({ codec_name: 'mjpeg', nb_read_packets: '1' })], { format_name: 'image2' }), 'NOT_A_VIDEO'],
    ['unknown fourcc', () => probe([video({ codec_name: undefined, codec_tag_string: 'QZXW' })]), 'UNSUPPORTED_CODEC'],
    ['codec this ffmpeg cannot decode', () => probe([video({ codec_name: 'av1' })]), 'UNSUPPORTED_CODEC'],
    ['no picture size', () => probe([video({ width: 0, height: 0 })]), 'NOT_A_VIDEO'],
    ['beyond 8K', () => probe([video({ width: MAX_LONG_SIDE + 1, height: 100 })]), 'TOO_LARGE'],
    ['beyond 8K when turned', () => probe([video({ width: 100, height: 9000, tags: { rotate: '90' } })]), 'TOO_LARGE'],
    ['fewer packets than the index lists', () => probe([video({ nb_frames: '100', nb_read_packets: '37' })]), 'TRUNCATED'],
  ];
  it.each(table)('%s', (_n, f, code) => {
    expect(codeOf(f)).toBe(code);
  });

  it('names the file and what to do in its messages', () => {
    expect(() => probe([video({ codec_name: 'av1' })])).toThrow(/clip\.mp4 uses the video codec av1.*Convert it/);
    expect(() => probe([video({ nb_read_packets: '37' })])).toThrow(/should hold 100 frames but only 37/);
  });
});

describe('rotationOf', () => {
  const table: [FfprobeStream['side_data_list'], Record<string, string> | undefined, number][] = [
    [undefined, undefined, 0],
    [[{ rotation: 90 }], undefined, 270],
    [[{ rotation: -90 }], undefined, 90],
    [[{ rotation: -180 }], undefined, 180],
    [[{ rotation: 89.9 }], undefined, 270],
    [[{ side_data_type: 'Stereo 3D' }], { rotate: '90' }, 90],
    [undefined, { rotate: '-90' }, 270],
    [undefined, { rotate: 'banana' }, 0],
  ];
  it.each(table)('side data %j, tags %j → %d° clockwise', (sd, tags, cw) => {
    expect(rotationOf({ side_data_list: sd, tags })).toBe(cw);
  });
});

describe('ffprobe failures', () => {
  const mp4Head = Buffer.from([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]);
  const table: [string, string, Uint8Array, string][] = [
    ['MP4 without moov', '[mov] moov atom not found\nx.mp4: Invalid data found when processing input', mp4Head, 'TRUNCATED'],
    ['text named .mp4', '[mov] moov atom not found\nx.mp4: Invalid data found when processing input', Buffer.from('hello, not a video'), 'NOT_A_VIDEO'],
    ['garbage', 'x.bin: Invalid data found when processing input', Buffer.from([1, 2, 3]), 'NOT_A_VIDEO'],
    ['anything else', 'x: something odd', Buffer.alloc(0), 'NOT_A_VIDEO'],
  ];
  it.each(table)('%s', (_n, stderr, head, code) => {
    expect(ffprobeFailure('x.mp4', stderr, head).code).toBe(code);
  });

  it('recognises ISO media box headers', () => {
    expect(looksLikeIsoMedia(mp4Head)).toBe(true);
    expect(looksLikeIsoMedia(Buffer.from('RIFF....AVI '))).toBe(false);
    expect(looksLikeIsoMedia(Buffer.alloc(4))).toBe(false);
  });
});
