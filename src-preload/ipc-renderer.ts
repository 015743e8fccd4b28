// One of the two raw-IPC files (the other is src-main/electron/ipc-main.ts). The main side
// answers every call with an ApiResult; a failure of IPC itself becomes one too, so the
// renderer only ever handles plain data.
import { ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL, IPC_EVENT, type EventMessage } from '../src-main/api/bridge';
import type { ApiResult } from '../src-main/api/contract';

export async function invoke(method: string, args: unknown): Promise<ApiResult<unknown>> {
  try {
    return (await ipcRenderer.invoke(IPC_CALL, method, args)) as ApiResult<unknown>;
  } catch (err) {
    return { ok: false, error: { code: 'TRANSPORT', message: `${method}: ${(err as Error)?.message ?? String(err)}` } };
  }
}

export function onEvent(listener: (m: EventMessage) => void): () => void {
  const handler = (_e: IpcRendererEvent, m: EventMessage) => listener(m);
  ipcRenderer.on(IPC_EVENT, handler);
  return () => ipcRenderer.removeListener(IPC_EVENT, handler);
}
