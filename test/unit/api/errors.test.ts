import { describe, expect, it } from 'vitest';
import { ApiCallError, errorResult, toApiError, unwrapResult } from '../../../src-main/api/errors';

class CodedError extends Error {
  constructor(
    readonly code: unknown,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

describe('toApiError', () => {
  const cases: [string, unknown, { code: string; message: string; details?: unknown }, boolean][] = [
    ['coded error keeps its code', new CodedError('NOT_A_VIDEO', 'x.txt is not a video'), { code: 'NOT_A_VIDEO', message: 'x.txt is not a video' }, false],
    ['plain details survive', new CodedError('TOO_LARGE', 'big', { width: 9000 }), { code: 'TOO_LARGE', message: 'big', details: { width: 9000 } }, false],
    ['non-plain details are dropped', new CodedError('TOO_LARGE', 'big', new Map()), { code: 'TOO_LARGE', message: 'big' }, false],
    [
      'node errno codes are not API codes',
      Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }),
      { code: 'ENOENT', message: 'ENOENT: no such file' },
      false,
    ],
    ['lower-case code is unexpected', new CodedError('oops', 'bad'), { code: 'INTERNAL', message: 'bad' }, true],
    ['plain Error is INTERNAL', new TypeError('x is undefined'), { code: 'INTERNAL', message: 'x is undefined' }, true],
    ['a thrown string is INTERNAL', 'boom', { code: 'INTERNAL', message: 'boom' }, true],
  ];
  it.each(cases)('%s', (_n, thrown, error, unexpected) => {
    expect(toApiError(thrown)).toEqual({ error, unexpected });
  });

  it('round-trips through an envelope back into an ApiCallError', () => {
    const r = errorResult(new ApiCallError('NO_PROJECT', 'open a video first', { hint: 1 }));
    expect(r).toEqual({ ok: false, error: { code: 'NO_PROJECT', message: 'open a video first', details: { hint: 1 } } });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    try {
      unwrapResult(r);
      throw new Error('did not throw');
    } catch (err) {
      expect(err).toBeInstanceOf(ApiCallError);
      expect((err as ApiCallError).code).toBe('NO_PROJECT');
    }
    expect(unwrapResult({ ok: true, value: 5 })).toBe(5);
  });
});
