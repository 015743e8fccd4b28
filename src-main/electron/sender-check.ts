// Which renderer may call the API over IPC: only a frame showing our own renderer —
// the built index.html from disk, or the electron-vite dev server in development. Pure
// (no electron import) so it is table-tested.
import { pathToFileURL } from 'node:url';

export interface TrustedRenderer {
  /** absolute path of out/renderer/index.html */
  indexFile: string;
  /** ELECTRON_RENDERER_URL in development */
  devServerUrl?: string | null;
}

export function isTrustedRendererUrl(url: string, trusted: TrustedRenderer): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === 'file:') {
    const expected = pathToFileURL(trusted.indexFile);
    return u.pathname === expected.pathname;
  }
  if (trusted.devServerUrl) {
    const dev = new URL(trusted.devServerUrl);
    return u.origin === dev.origin && (dev.hostname === 'localhost' || dev.hostname === '127.0.0.1');
  }
  return false;
}
