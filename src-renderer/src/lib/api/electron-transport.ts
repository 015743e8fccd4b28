// Electron: the sandboxed preload exposes one function per method as window.maskline.
import type { ApiResult, MasklineApi, MethodArgs, MethodName, MethodResult } from '$api/contract';
import { frameProtocolUrl, type PreloadBridge } from '$api/bridge';
import { unwrapResult } from '$api/errors';
import { EventHub } from './event-hub';

export function createElectronTransport(bridge: PreloadBridge): MasklineApi {
  const hub = new EventHub();
  bridge.on((m) => hub.dispatch(m));
  return {
    transport: 'electron',
    async call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
      const fn = bridge[method] as unknown as (a: MethodArgs<M>) => Promise<ApiResult<MethodResult<M>>>;
      return unwrapResult(await fn(args));
    },
    on: (event, listener) => hub.on(event, listener),
    frameUrl: (videoKey, frame) => frameProtocolUrl(videoKey, frame),
  };
}
