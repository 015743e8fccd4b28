// Browser mode: the API over HTTP (POST /api/<method>), events over one WebSocket
// (/events), frames as plain GETs authorised by the cookie the host set with the page.
import type { ApiResult, MasklineApi, MethodArgs, MethodName, MethodResult, UploadFile } from '$api/contract';
import { TOKEN_HEADER, TOKEN_QUERY, type EventMessage } from '$api/bridge';
import { ApiCallError, API_CODES, unwrapResult } from '$api/errors';
import { EventHub } from './event-hub';

export interface HttpTransportOptions {
  /** the page's URL: origin and ?token= */
  pageUrl: string;
  /** called when the event socket drops or comes back (the UI shows a "reconnecting" hint) */
  onConnection?: (connected: boolean) => void;
}

export function createHttpTransport(opts: HttpTransportOptions): MasklineApi & { close(): void } {
  const page = new URL(opts.pageUrl);
  const token = page.searchParams.get(TOKEN_QUERY) ?? '';
  const base = `${page.protocol}//${page.host}`;
  const hub = new EventHub();
  let socket: WebSocket | null = null;
  let closed = false;
  let retryMs = 250;

  const connect = () => {
    if (closed) return;
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/events?${TOKEN_QUERY}=${encodeURIComponent(token)}`);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      opts.onConnection?.(true);
    };
    ws.onmessage = (e) => {
      try {
        hub.dispatch(JSON.parse(String(e.data)) as EventMessage);
      } catch (err) {
        console.error('bad event message', err);
      }
    };
    ws.onclose = () => {
      if (closed) return;
      opts.onConnection?.(false);
      setTimeout(connect, retryMs);
      retryMs = Math.min(5000, retryMs * 2);
    };
  };
  connect();

  async function call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
    let res: Response;
    try {
      res = await fetch(`${base}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify(args ?? {}),
      });
    } catch (err) {
      throw new ApiCallError(API_CODES.transport, `The Maskline host at ${base} cannot be reached (${(err as Error).message}). Is it still running?`);
    }
    let body: ApiResult<MethodResult<M>>;
    try {
      body = (await res.json()) as ApiResult<MethodResult<M>>;
    } catch {
      throw new ApiCallError(API_CODES.transport, `The host answered ${method} with HTTP ${res.status} and no API result.`);
    }
    return unwrapResult(body);
  }

  function upload(file: UploadFile, onProgress?: (sent: number, total: number) => void): Promise<string> {
    // XHR, not fetch: only XHR reports upload progress
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${base}/upload?name=${encodeURIComponent(file.name)}`);
      xhr.setRequestHeader(TOKEN_HEADER, token);
      xhr.setRequestHeader('content-type', 'application/octet-stream');
      xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.total || file.size);
      xhr.onerror = () => reject(new ApiCallError(API_CODES.transport, `Uploading ${file.name} failed: the host cannot be reached.`));
      xhr.onload = () => {
        try {
          resolve(unwrapResult(JSON.parse(xhr.responseText) as ApiResult<{ path: string }>).path);
        } catch (err) {
          reject(err instanceof ApiCallError ? err : new ApiCallError(API_CODES.transport, `Uploading ${file.name} failed (HTTP ${xhr.status}).`));
        }
      };
      xhr.send(file as unknown as Blob);
    });
  }

  return {
    transport: 'browser',
    call,
    on: (event, listener) => hub.on(event, listener),
    frameUrl: (videoKey, frame) => `${base}/frames/${encodeURIComponent(videoKey)}/${frame}.jpg`,
    upload,
    close() {
      closed = true;
      socket?.close();
    },
  };
}
