// The Electron adapter's two pure checks: who may call over IPC, and which frame a
// maskline-frame:// URL names.
import { describe, expect, it } from 'vitest';
import { isTrustedRendererUrl } from '../../../src-main/electron/sender-check';
import { parseFrameProtocolUrl } from '../../../src-main/services/frame-request';
import { frameProtocolUrl } from '../../../src-main/api/bridge';

const indexFile = '/opt/Maskline app/out/renderer/index.html';

describe('isTrustedRendererUrl', () => {
  const cases: [string, string, string | null, boolean][] = [
    ['our built page', 'file:///opt/Maskline%20app/out/renderer/index.html', null, true],
    ['our page with a hash', 'file:///opt/Maskline%20app/out/renderer/index.html#x', null, true],
    ['another local file', 'file:///tmp/evil.html', null, false],
    ['a sibling file in the renderer folder', 'file:///opt/Maskline%20app/out/renderer/other.html', null, false],
    ['a web page', 'https://example.com/', null, false],
    ['the dev server when configured', 'http://localhost:5173/', 'http://localhost:5173', true],
    ['the dev server on another port', 'http://localhost:5174/', 'http://localhost:5173', false],
    ['a web page while the dev server is configured', 'https://example.com/', 'http://localhost:5173', false],
    ['a dev server URL that is not loopback', 'http://example.com:5173/', 'http://example.com:5173', false],
    ['garbage', 'not a url', null, false],
    ['empty (a frame with no URL)', '', null, false],
  ];
  it.each(cases)('%s', (_n, url, dev, ok) => expect(isTrustedRendererUrl(url, { indexFile, devServerUrl: dev })).toBe(ok));
});

describe('maskline-frame:// URLs', () => {
  const key = 'ab'.repeat(32);
  const cases: [string, { key: string; frame: number } | null][] = [
    [frameProtocolUrl(key, 7), { key, frame: 7 }],
    [`maskline-frame://frames/${key}/0`, { key, frame: 0 }],
    [`maskline-frame://frames/${key}/12.jpg`, { key, frame: 12 }],
    [`maskline-frame://frames/${key}/12?x=1`, null],
    [`maskline-frame://frames/${key}/12#a`, null],
    [`maskline-frame://other/${key}/12`, null],
    [`maskline-frame://frames:81/${key}/12`, null],
    [`maskline-frame://frames/${key}/../../etc/passwd`, null],
    [`maskline-frame://frames/${key}/%2e%2e%2f1`, null],
    [`maskline-frame://frames/${key}`, null],
    [`file:///frames/${key}/1`, null],
    ['nonsense', null],
  ];
  it.each(cases)('%s', (url, expected) => expect(parseFrameProtocolUrl(url)).toEqual(expected));
});
