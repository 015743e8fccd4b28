import { describe, expect, it } from 'vitest';
import { allowedHost, allowedOrigin, parseCookies, sameToken, tokenSources } from '../../../src-main/host/request-guard';

describe('allowedHost (DNS rebinding)', () => {
  const cases: [string | undefined, boolean][] = [
    ['127.0.0.1:4321', true],
    ['localhost:4321', true],
    ['LOCALHOST:4321', true],
    ['127.0.0.1:4322', false],
    ['127.0.0.1', false],
    ['evil.example:4321', false],
    ['127.0.0.1.evil.example:4321', false],
    ['[::1]:4321', false],
    [undefined, false],
    ['', false],
  ];
  it.each(cases)('%s → %s', (h, ok) => expect(allowedHost(h, 4321)).toBe(ok));
});

describe('allowedOrigin', () => {
  const cases: [string | undefined, boolean][] = [
    [undefined, true],
    ['http://127.0.0.1:4321', true],
    ['http://localhost:4321', true],
    ['https://127.0.0.1:4321', false],
    ['http://127.0.0.1:9999', false],
    ['http://evil.example', false],
    ['null', false],
    ['file://', false],
  ];
  it.each(cases)('%s → %s', (o, ok) => expect(allowedOrigin(o, 4321)).toBe(ok));
});

describe('tokens', () => {
  const t = 'a'.repeat(64);
  it('sameToken compares exactly', () => {
    expect(sameToken(t, t)).toBe(true);
    expect(sameToken(t.slice(1), t)).toBe(false);
    expect(sameToken('b' + t.slice(1), t)).toBe(false);
    expect(sameToken('', t)).toBe(false);
    expect(sameToken(undefined, t)).toBe(false);
    expect(sameToken(null, t)).toBe(false);
  });
  it('parseCookies keeps the first of duplicate names and trims', () => {
    expect([...parseCookies(' a=1; b = 2 ;a=3; junk; =x')]).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(parseCookies(undefined).size).toBe(0);
  });
  const cases: [string, { header?: string; query?: string | null; cookieHeader?: string }, string[]][] = [
    ['header', { header: t }, ['header']],
    ['query', { query: t }, ['query']],
    ['cookie of this port', { cookieHeader: `maskline_token_1=${t}` }, ['cookie']],
    ['cookie of another port', { cookieHeader: `maskline_token_2=${t}` }, []],
    ['wrong everything', { header: 'x', query: 'y', cookieHeader: 'maskline_token_1=z' }, []],
    ['all three', { header: t, query: t, cookieHeader: `maskline_token_1=${t}` }, ['header', 'query', 'cookie']],
  ];
  it.each(cases)('tokenSources: %s', (_n, req, expected) => {
    expect([...tokenSources(req, t, 'maskline_token_1')]).toEqual(expected);
  });
});
