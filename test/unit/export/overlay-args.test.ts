import { describe, expect, it } from 'vitest';
import {
  audioPlan,
  decoderArgs,
  encoderArgs,
  evenSize,
  fpsRational,
  pipePixelFormat,
  type OverlaySourceInfo,
} from '../../../src-main/core/export/overlay-args';
import { matrixOf, overlaySourceFrom, rangeOf } from '../../../src-main/core/export/overlay-probe';

const src: OverlaySourceInfo = {
  path: '/in.mov',
  streamIndex: 0,
  width: 320,
  height: 240,
  fps: '30000/1001',
  matrix: 'bt601',
  range: 'limited',
  colorTags: {},
  audioCodecs: [],
};
const whole = { first: 0, last: 99, total: 100 };

const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('overlay ffmpeg arguments', () => {
  it.each([
    [30, '30/1'],
    [25, '25/1'],
    [29.97002997, '30000/1001'],
    [23.976023976, '24000/1001'],
    [59.94005994, '60000/1001'],
    [12.5, '25/2'],
    [14.985, '2997/200'],
  ])('fps %f → %s', (fps, r) => {
    const out = fpsRational(fps);
    const [n, d] = out.split('/').map(Number);
    expect(Math.abs(n! / d! - fps)).toBeLessThan(1e-6);
    expect(out).toBe(r);
  });

  it.each([
    [[], 'none'],
    [['aac'], 'copy'],
    [['mp3', 'aac'], 'copy'],
    [['pcm_s16le'], 'aac'],
    [['aac', 'vorbis'], 'aac'],
  ] as const)('audio %j → %s', (codecs, plan) => {
    expect(audioPlan([...codecs])).toBe(plan);
  });

  it.each([
    [320, 240, 320, 240, false],
    [321, 240, 322, 240, true],
    [320, 181, 320, 182, true],
    [1, 1, 2, 2, true],
  ])('%i×%i → %i×%i padded=%s', (w, h, ew, eh, padded) => expect(evenSize(w, h)).toEqual({ w: ew, h: eh, padded }));

  it('decoder: whole video, raw yuv420p at the source size, one frame per decoded frame, the chosen stream', () => {
    const a = decoderArgs({ ...src, streamIndex: 2 }, whole);
    expect(after(a, '-map')).toBe('0:2');
    // no colour matrix: an 8-bit 4:2:0 source passes the scaler untouched
    expect(after(a, '-vf')).toBe('scale=320:240,format=yuv420p');
    expect(after(a, '-vsync')).toBe('passthrough');
    expect(a.slice(-5)).toEqual(['-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1']);
  });

  it('decoder: full-range sources stay full range (yuvj420p), odd sizes are decoded as they are', () => {
    const a = decoderArgs({ ...src, width: 75, height: 51, range: 'full' }, whole);
    expect(after(a, '-vf')).toBe('scale=75:51,format=yuvj420p');
    expect(after(a, '-pix_fmt')).toBe('yuvj420p');
  });

  it.each([
    ['limited', 'yuv420p'],
    ['full', 'yuvj420p'],
  ] as const)('%s range travels as %s', (range, fmt) => {
    expect(pipePixelFormat({ range })).toBe(fmt);
  });

  it('decoder: a frame range trims by frame number', () => {
    expect(after(decoderArgs(src, { first: 10, last: 19, total: 100 }), '-vf')).toMatch(/^trim=start_frame=10:end_frame=20,setpts=PTS-STARTPTS,scale=/);
  });

  it('encoder: raw yuv420p in at the source rate, H.264 yuv420p MP4 out with no filter, no audio without audio', () => {
    const a = encoderArgs(src, whole, '/o/overlay.mp4.tmp-1');
    expect(after(a, '-framerate')).toBe('30000/1001');
    expect(after(a, '-s')).toBe('320x240');
    expect(after(a, '-c:v')).toBe('libx264');
    expect(a.filter((x, i) => a[i - 1] === '-pix_fmt')).toEqual(['yuv420p', 'yuv420p']);
    expect(a.lastIndexOf('-pix_fmt')).toBeGreaterThan(a.indexOf('libx264'));
    expect(a).not.toContain('-vf');
    expect(a).not.toContain('-c:a');
    expect(a.slice(-3)).toEqual(['-f', 'mp4', 'file:/o/overlay.mp4.tmp-1']);
  });

  it('encoder: copies MP4-friendly audio, trims it with the range, reads padded frames of odd sizes, copies colour tags', () => {
    const a = encoderArgs(
      { ...src, width: 321, fps: '25/1', audioCodecs: ['aac'], matrix: 'bt709', colorTags: { space: 'bt709', transfer: 'bt709' } },
      { first: 50, last: 74, total: 100 },
      '/o/x.mp4',
    );
    expect(a.slice(a.indexOf('-ss'), a.indexOf('-ss') + 6)).toEqual(['-ss', '2.000000', '-t', '1.000000', '-i', 'file:/in.mov']);
    expect(after(a, '-c:a')).toBe('copy');
    expect(a.filter((x) => x === '-map')).toHaveLength(2);
    expect(after(a, '-s')).toBe('322x240');
    expect(after(a, '-colorspace')).toBe('bt709');
    expect(after(a, '-color_trc')).toBe('bt709');
    expect(a).not.toContain('-color_primaries');
  });

  it('encoder: full range in, full range out (libx264 flags it in the stream)', () => {
    const a = encoderArgs({ ...src, range: 'full' }, whole, '/o/x.mp4');
    expect(a.filter((x, i) => a[i - 1] === '-pix_fmt')).toEqual(['yuvj420p', 'yuvj420p']);
  });

  it('encoder: re-encodes audio the MP4 muxer cannot take', () => {
    expect(after(encoderArgs({ ...src, audioCodecs: ['pcm_s16le'] }, whole, '/o/x.mp4'), '-c:a')).toBe('aac');
  });
});

describe('overlay source from ffprobe', () => {
  const video = { path: '/in.mp4', name: 'in.mp4', width: 320, height: 240, fps: 29.97002997, frames: 10, hasAudio: true };
  it('takes the exact rational, the colour matrix and range and the audio codecs', () => {
    const s = overlaySourceFrom(video, [
      {
        index: 0,
        codec_type: 'video',
        r_frame_rate: '30000/1001',
        avg_frame_rate: '30000/1001',
        pix_fmt: 'yuvj420p',
        color_space: 'bt709',
        color_primaries: 'unknown',
      },
      { index: 1, codec_type: 'audio', codec_name: 'aac' },
    ]);
    expect(s).toMatchObject({ fps: '30000/1001', matrix: 'bt709', range: 'full', colorTags: { space: 'bt709' }, audioCodecs: ['aac'], streamIndex: 0 });
    expect(s.colorTags.primaries).toBeUndefined();
  });

  it('falls back to the project fps when the container rates disagree (VFR), and to BT.601', () => {
    const s = overlaySourceFrom({ ...video, fps: 24.5 }, [{ index: 0, codec_type: 'video', r_frame_rate: '90000/1', avg_frame_rate: '0/0' }]);
    expect(s.fps).toBe('49/2');
    expect(s.matrix).toBe('bt601');
    expect(s.range).toBe('limited');
  });

  it('tags RGB-coded sources with the BT.601 matrix they are converted with', () => {
    const s = overlaySourceFrom(video, [{ index: 0, codec_type: 'video', r_frame_rate: '30000/1001', pix_fmt: 'gbrp', color_space: 'gbr' }]);
    expect(s).toMatchObject({ matrix: 'bt601', range: 'limited', colorTags: { space: 'smpte170m' } });
  });

  it('uses the project’s stream index, not the first video stream (cover art)', () => {
    const s = overlaySourceFrom({ ...video, streamIndex: 1 }, [
      { index: 0, codec_type: 'video', r_frame_rate: '90000/1' },
      { index: 1, codec_type: 'video', r_frame_rate: '30000/1001' },
    ]);
    expect(s.streamIndex).toBe(1);
    expect(() => overlaySourceFrom({ ...video, streamIndex: 4 }, [{ index: 0, codec_type: 'video' }])).toThrow(/no video stream with index 4/);
  });
});

describe('colour of the source', () => {
  it.each([
    ['bt709', 'bt709'],
    ['bt470bg', 'bt601'],
    ['smpte170m', 'bt601'],
    ['bt2020nc', 'bt2020'],
    ['bt2020c', 'bt2020'],
    [undefined, 'bt601'],
    ['fcc', 'bt601'],
  ] as const)('color_space %s → matrix %s', (space, matrix) => expect(matrixOf(space)).toBe(matrix));

  it.each([
    ['yuv420p', 'limited'],
    ['yuvj420p', 'full'],
    ['yuvj422p', 'full'],
    ['yuvj444p', 'full'],
    ['yuv420p10le', 'limited'],
    ['yuv444p', 'limited'],
    [undefined, 'limited'],
  ] as const)('pix_fmt %s → %s range', (fmt, range) => expect(rangeOf(fmt)).toBe(range));
});
