// Wire-level names shared by the adapters and the renderer's transports, so both ends of
// each channel are spelled once.
import type { ApiEvents, ApiResult, EventName, MethodArgs, MethodName, MethodResult } from './contract';

/** Electron: the one invoke channel (args: method, args) and the one event channel. */
export const IPC_CALL = 'api:call';
export const IPC_EVENT = 'api:event';

/** Electron: frames are served at maskline-frame://frames/<videoKey>/<frame> (see services/frame-request) */
export const FRAME_SCHEME = 'maskline-frame';
/** a fixed host: a 64-hex video key is longer than a host label may be */
export const FRAME_PROTOCOL_HOST = 'frames';

export function frameProtocolUrl(key: string, frame: number): string {
  return `${FRAME_SCHEME}://${FRAME_PROTOCOL_HOST}/${key}/${frame}`;
}

/** Browser host: API token header; the page URL carries ?token= once, then a cookie does. */
export const TOKEN_HEADER = 'x-maskline-token';
export const TOKEN_QUERY = 'token';

/** Browser host: the cookie is per port because cookies ignore ports and two hosts may run at once. */
export function tokenCookieName(port: number): string {
  return `maskline_token_${port}`;
}

/** One event as it travels over the WebSocket or IPC. */
export interface EventMessage<E extends EventName = EventName> {
  event: E;
  payload: ApiEvents[E];
}

/** What the preload exposes as `window.maskline`: one function per method, plus `on`. */
export type PreloadBridge = {
  readonly [M in MethodName]: (args: MethodArgs<M>) => Promise<ApiResult<MethodResult<M>>>;
} & {
  on(listener: (message: EventMessage) => void): () => void;
};

export const BRIDGE_KEY = 'maskline';
