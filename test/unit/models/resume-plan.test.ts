import { describe, expect, test } from 'vitest';
import { backoffDelay, parseContentRange, planResponse } from '../../../src-main/core/models/resume-plan';

describe('parseContentRange', () => {
  test.each([
    ['bytes 0-99/100', { start: 0, end: 99, total: 100 }],
    ['bytes 100-199/1000', { start: 100, end: 199, total: 1000 }],
    ['BYTES 5-9/*', { start: 5, end: 9, total: null }],
    ['bytes 10-5/100', null],
    ['bytes 0-100/100', null],
    ['bytes */100', null],
    ['items 0-1/2', null],
    [undefined, null],
  ])('%j', (h, want) => expect(parseContentRange(h)).toEqual(want));
});

describe('planResponse', () => {
  const E = 1000;
  test.each([
    ['fresh 200', { status: 200, offset: 0, contentLength: E }, { kind: 'write', offset: 0 }],
    ['fresh 200, chunked', { status: 200, offset: 0, contentLength: null }, { kind: 'write', offset: 0 }],
    ['Range ignored', { status: 200, offset: 400, contentLength: E }, { kind: 'restart-with-body' }],
    ['200 of another size', { status: 200, offset: 0, contentLength: 500 }, { kind: 'fail', code: 'SIZE_MISMATCH' }],
    ['206 at the offset', { status: 206, offset: 400, contentRange: 'bytes 400-999/1000' }, { kind: 'write', offset: 400 }],
    ['206 unknown total', { status: 206, offset: 400, contentRange: 'bytes 400-999/*' }, { kind: 'write', offset: 400 }],
    ['206 elsewhere', { status: 206, offset: 400, contentRange: 'bytes 0-999/1000' }, { kind: 'request-from-zero' }],
    ['206 other total', { status: 206, offset: 400, contentRange: 'bytes 400-1999/2000' }, { kind: 'fail', code: 'SIZE_MISMATCH' }],
    ['206 garbled', { status: 206, offset: 400, contentRange: 'nonsense' }, { kind: 'request-from-zero' }],
    ['416', { status: 416, offset: 1200 }, { kind: 'request-from-zero' }],
    ['503', { status: 503, offset: 0 }, { kind: 'retry' }],
    ['429', { status: 429, offset: 0 }, { kind: 'retry' }],
    ['408', { status: 408, offset: 0 }, { kind: 'retry' }],
    ['404', { status: 404, offset: 0 }, { kind: 'fail', code: 'HTTP_STATUS' }],
    ['403', { status: 403, offset: 10 }, { kind: 'fail', code: 'HTTP_STATUS' }],
  ] as const)('%s', (_label, facts, want) => {
    expect(planResponse({ expectedBytes: E, ...facts })).toMatchObject(want);
  });
});

describe('backoffDelay', () => {
  test('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelay(a, 500))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffDelay(0, 100)).toBe(100);
    expect(backoffDelay(3, 10, 25)).toBe(25);
  });
});
