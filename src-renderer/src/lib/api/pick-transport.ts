// Start-up choice: the preload's bridge means we run inside Electron; otherwise we were
// served by the browser host and the page URL carries the token.
import type { MasklineApi } from '$api/contract';
import { BRIDGE_KEY, type PreloadBridge } from '$api/bridge';
import { createElectronTransport } from './electron-transport';
import { createHttpTransport } from './http-transport';

export function pickTransport(onConnection?: (connected: boolean) => void): MasklineApi {
  const bridge = (window as unknown as Record<string, PreloadBridge | undefined>)[BRIDGE_KEY];
  if (bridge) return createElectronTransport(bridge);
  return createHttpTransport({ pageUrl: window.location.href, onConnection });
}
