// maskline-frame://frames/<key>/<frame>: the renderer's frames straight from the frame
// cache (same path check as the browser host), immutable because the key names the
// video's content. CORS is open because the page's file:// origin differs from the scheme.
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { FRAME_SCHEME } from '../api/bridge';
import type { ApiBackend } from '../services/backend';
import { parseFrameProtocolUrl } from '../services/frame-request';

/** Must run before app 'ready'. */
export function registerFrameScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: FRAME_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true } },
  ]);
}

export function handleFrameProtocol(backend: ApiBackend): void {
  protocol.handle(FRAME_SCHEME, async (request) => {
    const ref = request.method === 'GET' ? parseFrameProtocolUrl(request.url) : null;
    const file = ref ? backend.frameFile(ref) : null;
    const cors = { 'access-control-allow-origin': '*' };
    if (!file) return new Response('No such frame (yet).', { status: 404, headers: { ...cors, 'cache-control': 'no-store' } });
    try {
      const body = await readFile(file);
      return new Response(body, {
        status: 200,
        headers: { ...cors, 'content-type': 'image/jpeg', 'cache-control': 'public, max-age=31536000, immutable' },
      });
    } catch {
      return new Response('No such frame (yet).', { status: 404, headers: { ...cors, 'cache-control': 'no-store' } });
    }
  });
}
