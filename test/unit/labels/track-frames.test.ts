import { describe, expect, it } from 'vitest';
import { pickTrackFrames, type TrackFrame } from '../../../src-main/core/labels';

const f = (frame: number, score: number, area = 10): TrackFrame => ({ frame, score, area });

describe('pickTrackFrames: up to K frames spread over the track, most confident first', () => {
  it.each([
    ['fewer frames than K: all, by confidence', [f(0, 1), f(1, 3), f(2, 2)], 5, [1, 2, 0]],
    ['K = 1: the most confident frame of the whole track', [f(0, 1), f(5, 9), f(9, 2)], 1, [5]],
    ['K = 2 on 6 frames: best of 0..2 and best of 3..5', [f(0, 5), f(1, 1), f(2, 0), f(3, 9), f(4, 2), f(5, 8)], 2, [3, 0]],
    ['spread: a very confident run does not take every pick', [f(0, 1), f(1, 9), f(2, 9), f(3, 9), f(4, 0)], 3, [1, 3, 0]],
    ['empty masks are never picked', [f(0, 9, 0), f(1, 1), f(2, 2)], 3, [2, 1]],
    ['ties: larger area, then the earlier frame', [f(0, 1, 5), f(1, 1, 7), f(2, 1, 7)], 1, [1]],
    ['input order does not matter', [f(4, 2), f(0, 1), f(2, 3)], 3, [2, 4, 0]],
    ['no usable frame: nothing', [f(0, 1, 0)], 3, []],
  ])('%s', (_name, frames, k, expected) => {
    expect(pickTrackFrames(frames as TrackFrame[], k as number).map((p) => p.frame)).toEqual(expected);
  });

  it('refuses K < 1', () => {
    expect(() => pickTrackFrames([f(0, 1)], 0)).toThrow(/≥ 1/);
  });
});
