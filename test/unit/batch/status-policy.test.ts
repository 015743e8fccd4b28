// Which failures skip the retries, how queue states read, and the batch's counts and ETA.
import { describe, expect, it } from 'vitest';
import { codeOfReason, failureReason, isPermanentFailure } from '../../../src-main/core/batch/failure-policy';
import { formatStatus, rowState, summarise, type BatchJobRow } from '../../../src-main/core/batch/status-view';
import { checkRedisUrl, redactRedisUrl, workerTiming } from '../../../src-main/core/batch/queue-config';

describe('failure policy', () => {
  it.each([
    ['NOT_A_VIDEO', true],
    ['TRUNCATED', true],
    ['BAD_FRAME', true],
    ['OUT_NOT_OURS', true],
    ['CANCELLED', true],
    ['DISK_FULL', false],
    ['INTERNAL', false],
    ['ENGINE', false],
  ])('%s permanent: %s', (code, permanent) => expect(isPermanentFailure(code)).toBe(permanent));

  it("reasons carry the code, read back; BullMQ's own reasons have none", () => {
    expect(codeOfReason(failureReason('NOT_A_VIDEO', 'x.mp4 is not a video'))).toBe('NOT_A_VIDEO');
    expect(codeOfReason('job stalled more than allowable limit')).toBeNull();
  });
});

describe('status', () => {
  it.each([
    ['completed', null, 'done'],
    ['failed', 'CANCELLED: stopped', 'cancelled'],
    ['failed', 'NOT_A_VIDEO: bad', 'failed'],
    ['active', null, 'active'],
    ['delayed', null, 'waiting'],
    ['waiting', null, 'waiting'],
  ])('%s (%s) → %s', (q, reason, state) => expect(rowState(q, reason)).toBe(state));

  const row = (over: Partial<BatchJobRow>): BatchJobRow => ({
    id: 'ml-1',
    video: '/v/a.mp4',
    out: '/o/a',
    state: 'waiting',
    progress: null,
    attempts: 0,
    error: null,
    frames: null,
    queuedAt: 0,
    startedAt: null,
    finishedAt: null,
    ...over,
  });

  it("counts states and estimates the ETA from the active jobs' fps and the frames left", () => {
    const s = summarise([
      row({ id: 'a', state: 'done', frames: 100 }),
      row({ id: 'b', state: 'active', frames: 100, progress: { phase: 'propagate', done: 40, total: 100, unit: 'frames', fps: 10, worker: 'h/1' } }),
      row({ id: 'c', state: 'active', frames: 100, progress: { phase: 'propagate', done: 90, total: 100, unit: 'frames', fps: 10, worker: 'h/2' } }),
      row({ id: 'd', state: 'waiting' }),
      row({ id: 'e', state: 'failed', error: 'NOT_A_VIDEO: bad' }),
    ]);
    expect(s.counts).toEqual({ waiting: 1, active: 2, done: 1, failed: 1, cancelled: 0 });
    expect(s.fps).toBe(20);
    // 60 + 10 frames left of the active ones, 100 (the typical video) for the waiting one
    expect(s.etaSec).toBeCloseTo(170 / 20);
    const text = formatStatus(s);
    expect(text).toMatch(/^waiting 1 · active 2 · done 1 · failed 1 · cancelled 0 · 20\.0 fps · ETA 9 s/);
    expect(text).toMatch(/propagate 40\/100 \(40 %\) 10\.0 fps\s+h\/1/);
    expect(text).toMatch(/NOT_A_VIDEO: bad/);
  });

  it('no rate known: the ETA is unknown, not zero', () => {
    expect(summarise([row({ state: 'waiting' })]).etaSec).toBeNull();
    expect(summarise([row({ state: 'done' })]).etaSec).toBe(0);
  });
});

describe('queue config', () => {
  it('hides passwords and accepts only redis:// and rediss://', () => {
    expect(redactRedisUrl('redis://:s3cret@q:6379/0')).toBe('redis://:***@q:6379/0');
    expect(redactRedisUrl('rediss://user:pw@q:6380')).toBe('rediss://user:***@q:6380');
    expect(checkRedisUrl('rediss://q:6380')).toBeNull();
    expect(checkRedisUrl('http://q')).toMatch(/must start with redis:\/\/ or rediss:\/\//);
    expect(checkRedisUrl('q:6379')).toMatch(/must start with redis:\/\//);
    expect(checkRedisUrl('not a url')).toMatch(/must be a URL like redis:\/\/127\.0\.0\.1:6379/);
  });

  it("a killed worker's job is back within 1.5 × the lock duration", () => {
    expect(workerTiming(30_000)).toEqual({ lockDuration: 30_000, stalledInterval: 15_000, maxStalledCount: 2 });
  });
});
