import { describe, expect, it } from 'vitest';
import { projectChange, TRANSITION_STEPS, type ProjectChange, type ProjectKey } from '../../../src-renderer/src/lib/project-transition';

const video = { key: 'k1', frames: 100, fps: 25, width: 640, height: 360 };
const a: ProjectKey = { dir: '/p/a', video };
const b: ProjectKey = { dir: '/p/b', video };

describe('projectChange', () => {
  it.each<[string, ProjectKey | null, ProjectKey | null, ProjectChange]>([
    ['nothing to nothing', null, null, 'none'],
    ['a project where there was none', null, a, 'open'],
    ['the open project goes', a, null, 'close'],
    ['another folder', a, b, 'switch'],
    ['another folder with the same video', a, { dir: '/p/b', video: { ...video } }, 'switch'],
    ['the same project, a new state object', a, { dir: '/p/a', video: { ...video } }, 'none'],
    ['relocated: the video content key changed', a, { dir: '/p/a', video: { ...video, key: 'k2' } }, 'video'],
    ['re-read: another frame count', a, { dir: '/p/a', video: { ...video, frames: 99 } }, 'video'],
    ['re-read: another rate', a, { dir: '/p/a', video: { ...video, fps: 30 } }, 'video'],
    ['re-read: another size', a, { dir: '/p/a', video: { ...video, width: 320 } }, 'video'],
    ['re-read: another height', a, { dir: '/p/a', video: { ...video, height: 180 } }, 'video'],
  ])('%s', (_what, from, to, want) => {
    expect(projectChange(from, to)).toBe(want);
  });
});

describe('TRANSITION_STEPS', () => {
  it.each<[ProjectChange, string[]]>([
    ['none', []],
    ['video', ['showVideo']],
    ['open', ['forgetProject', 'showVideo', 'adoptEngine', 'restoreView']],
    ['switch', ['forgetProject', 'showVideo', 'adoptEngine', 'restoreView']],
    ['close', ['forgetProject', 'hideVideo', 'forgetView']],
  ])('%s → %j', (change, steps) => {
    expect(TRANSITION_STEPS[change]).toEqual(steps);
  });

  it('restores the saved view only after the video is shown (the playhead needs its frame count)', () => {
    for (const steps of Object.values(TRANSITION_STEPS)) {
      if (steps.includes('restoreView')) expect(steps.indexOf('showVideo')).toBeLessThan(steps.indexOf('restoreView'));
    }
  });

  it('every transition between projects forgets the old one', () => {
    for (const c of ['open', 'switch', 'close'] as const) expect(TRANSITION_STEPS[c]).toContain('forgetProject');
  });
});
