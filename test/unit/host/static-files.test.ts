import { describe, expect, it } from 'vitest';
import { cacheControlFor, mimeType, resolveStaticPath } from '../../../src-main/host/static-files';

const root = '/srv/out/renderer';

describe('resolveStaticPath', () => {
  const cases: [string, string | null][] = [
    ['/', `${root}/index.html`],
    ['/index.html', `${root}/index.html`],
    ['/assets/index-abc.js', `${root}/assets/index-abc.js`],
    ['/assets//index-abc.js', `${root}/assets/index-abc.js`],
    ['/a%20b.png', `${root}/a b.png`],
    ['/../secret', null],
    ['/assets/../../secret', null],
    ['/%2e%2e/secret', null],
    ['/%2e%2e%2fsecret', null],
    ['/assets/%2e%2e%2f%2e%2e%2fsecret', null],
    ['/..%5csecret', null],
    ['/a\\b', null],
    ['/./index.html', null],
    ['/x%00.js', null],
    ['/%E0%A4%A', null],
    ['relative.js', null],
  ];
  it.each(cases)('%s → %s', (p, expected) => expect(resolveStaticPath(root, p)).toBe(expected));
});

describe('mimeType', () => {
  const cases: [string, string][] = [
    ['index.html', 'text/html; charset=utf-8'],
    ['a.js', 'text/javascript; charset=utf-8'],
    ['a.CSS', 'text/css; charset=utf-8'],
    ['a.svg', 'image/svg+xml'],
    ['a.woff2', 'font/woff2'],
    ['noext', 'application/octet-stream'],
  ];
  it.each(cases)('%s → %s', (p, m) => expect(mimeType(p)).toBe(m));
});

describe('cacheControlFor', () => {
  it('hashed assets are immutable, the rest revalidates', () => {
    expect(cacheControlFor(`${root}/assets/index-abc.js`, root)).toBe('public, max-age=31536000, immutable');
    expect(cacheControlFor(`${root}/index.html`, root)).toBe('no-cache');
  });
});
