// One of the two raw-IPC files (the other is src-preload/ipc-renderer.ts). Everything the
// renderer asks goes through one invoke channel: the sender is checked (our window, our
// page), the services validate and answer with an ApiResult, and nothing ever throws
// across the boundary. Events go back to our window on one channel.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_CALL, IPC_EVENT } from '../api/bridge';
import { errorResult } from '../api/errors';
import type { ApiBackend } from '../services/backend';
import { isTrustedRendererUrl, type TrustedRenderer } from './sender-check';

export function attachIpc(backend: ApiBackend, target: () => WebContents | null, trusted: TrustedRenderer, log: (l: string) => void): () => void {
  const allowed = (e: IpcMainInvokeEvent): boolean => {
    const wc = target();
    const url = e.senderFrame?.url ?? '';
    return !!wc && e.sender.id === wc.id && isTrustedRendererUrl(url, trusted);
  };
  ipcMain.handle(IPC_CALL, async (e, method: unknown, args: unknown) => {
    if (!allowed(e)) {
      log(`[ipc] refused a call from ${e.senderFrame?.url ?? 'an unknown frame'}`);
      return errorResult({ code: 'FORBIDDEN', message: 'This page may not use the Maskline API.' });
    }
    return backend.call(method, args);
  });
  const unsubscribe = backend.subscribe((m) => {
    const wc = target();
    if (wc && !wc.isDestroyed()) wc.send(IPC_EVENT, m);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CALL);
  };
}
