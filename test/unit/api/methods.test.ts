import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, METHOD_NAMES, validateCall, validators } from '../../../src-main/api/methods';
import { ApiCallError } from '../../../src-main/api/errors';
import { isAbsolutePath } from '../../../src-main/api/validate';

function reject(method: unknown, args: unknown): ApiCallError {
  try {
    validateCall(method, args);
  } catch (err) {
    expect(err).toBeInstanceOf(ApiCallError);
    return err as ApiCallError;
  }
  throw new Error(`${method} accepted ${JSON.stringify(args)}`);
}

const rle2x2 = { h: 2, w: 2, counts: [1, 2, 1] };

describe('method list', () => {
  it('has one validator per method and the events', () => {
    expect(METHOD_NAMES.length).toBe(Object.keys(validators).length);
    expect(METHOD_NAMES).toContain('project.openVideo');
    expect(METHOD_NAMES).toContain('jobs.cancel');
    expect(EVENT_NAMES.sort()).toEqual([
      'engine.changed',
      'engine.preencode',
      'job.updated',
      'masks.updated',
      'project.changed',
      'project.closed',
      'segment.proposals',
      'tracks.updated',
    ]);
  });

  it('rejects unknown methods with UNKNOWN_METHOD', () => {
    expect(reject('project.delete', {}).code).toBe('UNKNOWN_METHOD');
    expect(reject('__proto__', {}).code).toBe('UNKNOWN_METHOD');
    expect(reject(42, {}).code).toBe('UNKNOWN_METHOD');
  });
});

describe('accepted arguments', () => {
  const ok: [string, unknown, unknown][] = [
    ['app.info', {}, {}],
    ['app.info', undefined, {}],
    ['dialog.chooseFolder', { title: 'Export to' }, { title: 'Export to' }],
    ['project.openVideo', { path: '/v/a b ü.mp4' }, { path: '/v/a b ü.mp4' }],
    ['project.openVideo', { path: '/v/a.mp4', projectDir: '/p' }, { path: '/v/a.mp4', projectDir: '/p' }],
    ['project.openVideo', { path: '/v/a.mp4', projectDir: undefined }, { path: '/v/a.mp4' }],
    ['jobs.cancel', { id: 'job-1' }, { id: 'job-1' }],
    ['objects.update', { id: 3, color: '#ff00aa', hidden: true }, { id: 3, color: '#ff00aa', hidden: true }],
    ['prompts.add', { objectId: 1, frame: 0, points: [[1.5, 2]], labels: [1] }, { objectId: 1, frame: 0, points: [[1.5, 2]], labels: [1] }],
    ['prompts.add', { objectId: 1, frame: 4, points: [], labels: [], box: [0, 0, 5, 5] }, { objectId: 1, frame: 4, points: [], labels: [], box: [0, 0, 5, 5] }],
    ['prompts.addMask', { objectId: 1, frame: 2, rle: rle2x2 }, { objectId: 1, frame: 2, rle: rle2x2 }],
    ['track.propagate', { frame: 0, direction: 'both', range: [0, 10] }, { frame: 0, direction: 'both', range: [0, 10] }],
    ['export.run', { formats: ['coco'], outDir: '/o', overlay: { opacity: 0.5 } }, { formats: ['coco'], outDir: '/o', overlay: { opacity: 0.5 } }],
  ];
  it.each(ok)('%s accepts %j', (method, args, expected) => {
    expect(validateCall(method, args)).toEqual({ method, args: expected });
  });
});

describe('rejected arguments name the field', () => {
  const bad: [string, unknown, RegExp][] = [
    ['app.info', { x: 1 }, /args\.x is not an accepted argument \(accepted: none\)/],
    ['app.info', null, /args must be an object \(got null\)/],
    ['app.info', [], /args must be an object \(got an array\)/],
    ['project.openVideo', {}, /args\.path is required/],
    ['project.openVideo', { path: 42 }, /args\.path must be a string \(got number 42\)/],
    ['project.openVideo', { path: '' }, /args\.path must not be empty/],
    ['project.openVideo', { path: 'a\0b' }, /args\.path must not contain a NUL/],
    ['project.openVideo', { path: 'x'.repeat(5000) }, /args\.path is too long/],
    ['project.openVideo', { path: '/a', extra: true }, /args\.extra is not an accepted argument \(accepted: path, projectDir\)/],
    ['project.openVideo', Object.create({ path: '/a' }), /args must be a plain object/],
    ['jobs.cancel', { id: '' }, /args\.id must not be empty/],
    ['masks.frame', { frame: -1 }, /args\.frame must be between 0 and/],
    ['masks.frame', { frame: 1.5 }, /args\.frame must be a whole number/],
    ['masks.frame', { frame: Number.NaN }, /args\.frame must be a finite number \(got NaN\)/],
    ['masks.frame', { frame: '3' }, /args\.frame must be a finite number \(got string "3"\)/],
    ['objects.update', { id: 0 }, /args\.id must be between 1/],
    ['objects.update', { id: 1, color: 'red' }, /args\.color has an unexpected format/],
    ['objects.update', { id: 1, hidden: 'yes' }, /args\.hidden must be true or false/],
    ['prompts.add', { objectId: 1, frame: 0, points: [[1, 2]], labels: [] }, /args\.labels must have one label per point/],
    ['prompts.add', { objectId: 1, frame: 0, points: [], labels: [] }, /args\.points must have at least one point/],
    ['prompts.add', { objectId: 1, frame: 0, points: [[1]], labels: [1] }, /args\.points\[0\] must have exactly 2 items/],
    ['prompts.add', { objectId: 1, frame: 0, points: [[1, 'a']], labels: [1] }, /args\.points\[0\]\[1\] must be a finite number/],
    ['prompts.add', { objectId: 1, frame: 0, points: [[1, 2]], labels: [2] }, /args\.labels\[0\] must be between 0 and 1/],
    ['prompts.addMask', { objectId: 1, frame: 0, rle: { h: 2, w: 2, counts: [1, 2] } }, /args\.rle\.counts must add up to h × w = 4 \(got 3\)/],
    ['track.propagate', { frame: 0, direction: 'sideways' }, /args\.direction must be one of forward, backward, both/],
    ['export.run', { formats: [], outDir: '/o' }, /args\.formats must have at least 1/],
    ['export.run', { formats: ['gif'], outDir: '/o' }, /args\.formats\[0\] must be one of/],
    ['export.run', { formats: ['png'], outDir: '/o', overlay: { opacity: 2 } }, /args\.overlay\.opacity must be between 0 and 1/],
    // issue 13: a relative path would resolve against the services' working directory
    ['export.run', { formats: ['png'], outDir: 'exports/run1' }, /args\.outDir must be an absolute path \(got "exports\/run1"\)/],
    ['export.run', { formats: ['png'], outDir: '~/exports' }, /args\.outDir must be an absolute path/],
    ['project.openVideo', { path: 'clip.mp4' }, /args\.path must be an absolute path/],
    ['project.openVideo', { path: '/v/a.mp4', projectDir: './p' }, /args\.projectDir must be an absolute path/],
    ['project.open', { dir: 'projects/a' }, /args\.dir must be an absolute path/],
    ['project.relocateVideo', { path: '../a.mp4' }, /args\.path must be an absolute path/],
    ['models.import', { dir: 'pack' }, /args\.dir must be an absolute path/],
    ['app.revealPath', { path: 'out' }, /args\.path must be an absolute path/],
  ];
  it.each(bad)('%s rejects %j', (method, args, message) => {
    const err = reject(method, args);
    expect(err.code).toBe('BAD_ARGS');
    expect(err.message.startsWith(`${method}: `)).toBe(true);
    expect(err.message).toMatch(message);
  });

  it.each([
    ['/home/u/out', true],
    ['C:\\Users\\u\\out', true],
    ['C:/Users/u', true],
    ['\\\\server\\share', true],
    ['out', false],
    ['./out', false],
    ['~/out', false],
    ['C:out', false],
  ])('isAbsolutePath(%j) is %s', (p, abs) => {
    expect(isAbsolutePath(p)).toBe(abs);
  });
});
