// What an adapter (Electron IPC, browser host) needs from the services: route a call,
// forward events, find a frame's file. Nothing else crosses.
import type { ApiResult } from '../api/contract';
import type { EventMessage } from '../api/bridge';
import type { FrameRef } from './frame-request';

export interface ApiBackend {
  /** validates, runs, and answers with an envelope; never throws */
  call(method: unknown, args: unknown): Promise<ApiResult<unknown>>;
  subscribe(listener: (message: EventMessage) => void): () => void;
  /** the cached JPEG of a frame that is fully written, or null */
  frameFile(ref: FrameRef): string | null;
}
