// Messages between the engine client (any thread) and the engine worker thread. Requests carry
// an id; the worker answers each with one result or error, and streams propagation frames as
// events with the same id. Masks travel as transferred ArrayBuffers.
import type { ErrorData } from '../core/sam2/errors';
import type { FrameResult, OutputOptions, OutputSnapshot, PromptResult, PropagatedFrame } from '../core/sam2/predictor';
import type { Box } from '../core/sam2/points';
import type { PredictorOptions } from '../core/sam2/predictor';
import type { ProviderFallback, ProviderName } from '../core/sam2/sessions';
import type { AttentionKind } from '../core/sam2/onnx-ops';
import type { MemoryMode } from '../core/sam2/memory-mode';
import type { GraphName } from '../core/sam2/manifest';
import type { AmgMask, AmgOptions, AmgProgress, AmgStats } from '../core/sam2/amg';
import type { MessagePort } from 'node:worker_threads';
import type { PreencodeSettings, PreencodeStatus } from './preencoder';
import type { PreencodeThreadData } from './preencode-thread';

export type { PreencodeSettings, PreencodeStatus } from './preencoder';
import type { FrameTiming } from '../core/sam2/frame-timing';

/** Where the worker reads frames from. */
export type SourceSpec =
  { kind: 'folder'; dir: string } | { kind: 'video'; path: string } | { kind: 'frames'; width: number; height: number; frames: Uint8Array[] };

export interface EngineInfo {
  numFrames: number;
  width: number;
  height: number;
  pack: { dir: string; name: string; imageSize: number; bytes: number };
  providers: Record<GraphName, ProviderName>;
  /** the fallbacks in one line, else null */
  fallbackReason: string | null;
  /** providers passed over per graph, with the reason */
  fallbacks: ProviderFallback[];
  /** the memory-attention variant that runs */
  attention: AttentionKind;
  /** the image encoder's attention: fused on the CPU (encoder-graph.ts), else the pack's plain graph */
  encoderAttention: AttentionKind;
  /** the memory mode (core/sam2/memory-mode.ts) and why it was chosen */
  memory: { mode: MemoryMode; reason: string };
  loadMs: number;
  threads: number;
}

export interface PointsArgs {
  frame: number;
  objId: number;
  points: [number, number][];
  labels: number[];
  box?: Box | null;
  clearOld?: boolean;
  out?: OutputOptions;
}

export interface PropagateArgs extends OutputOptions {
  start?: number;
  maxFrames?: number;
  reverse?: boolean;
  /** frames the worker may send ahead of the client's acknowledgements (back-pressure) */
  window?: number;
}

/** Request name → [arguments, result]. */
export interface Requests {
  open: [{ pack: string; source: SourceSpec; options?: PredictorOptions; preencode?: Partial<PreencodeSettings> }, EngineInfo];
  addPoints: [PointsArgs, PromptResult];
  chooseCandidate: [{ frame: number; objId: number; index: number; out?: OutputOptions }, FrameResult];
  addMask: [{ frame: number; objId: number; mask: Uint8Array; out?: OutputOptions }, FrameResult];
  clearFramePrompts: [{ frame: number; objId: number; out?: OutputOptions }, FrameResult];
  removeObject: [{ objId: number }, { frames: number[] }];
  reset: [Record<string, never>, null];
  frameMasks: [{ frame: number; out?: OutputOptions }, FrameResult];
  objects: [Record<string, never>, { id: number; promptedFrames: number[]; outputFrames: number[] }[]];
  exportOutputs: [{ objId: number; frames?: number[] }, OutputSnapshot[]];
  importOutputs: [{ objId: number; entries: OutputSnapshot[]; clear: number[] | 'all' }, null];
  propagate: [PropagateArgs, { frames: number }];
  /** automatic mask generation on one frame; streams `progress` events, cancellable */
  segmentEverything: [{ frame: number; options?: Partial<AmgOptions> }, { masks: AmgMask[]; stats: AmgStats }];
  stats: [Record<string, never>, unknown];
  /** the playhead rests on `frame` (null: none): pre-encode it and its neighbours while the engine is idle */
  preencode: [{ frame: number | null }, PreencodeStatus];
  /** turn pre-encoding on/off, set its window (±frames) */
  preencodeSettings: [Partial<PreencodeSettings>, PreencodeStatus];
  /** one tracked frame's graphs timed on this frame (the pack's speed on this machine) */
  timeFrame: [{ frame: number }, FrameTiming];
  close: [Record<string, never>, null];
}

export type RequestName = keyof Requests;

export type ToWorker =
  { type: 'request'; id: number; op: RequestName; args: unknown } | { type: 'cancel'; id: number } | { type: 'ack'; id: number; frames: number };

export type FromWorker =
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: ErrorData }
  | { type: 'frame'; id: number; frame: PropagatedFrame }
  | { type: 'progress'; id: number; progress: AmgProgress }
  /** pre-encoding changed (not tied to a request: id 0) */
  | { type: 'preencode'; id: 0; status: PreencodeStatus }
  /**
   * start the pre-encoding thread beside the engine worker (a sibling, not a child: see
   * preencode-thread.ts), talking to the engine through `port`
   */
  | { type: 'spawnPreencode'; id: 0; data: PreencodeThreadData; port: MessagePort };

/** Buffers of a result that can be transferred instead of copied. */
export function transferables(value: unknown, out: ArrayBuffer[] = [], seen = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    const b = value.buffer;
    // only whole, unshared buffers: a view into a larger buffer would drag the rest along
    if (b instanceof ArrayBuffer && value.byteOffset === 0 && value.byteLength === b.byteLength && !seen.has(b)) {
      seen.add(b);
      out.push(b);
    }
  } else if (Array.isArray(value)) {
    for (const v of value) transferables(v, out, seen);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) transferables(v, out, seen);
  }
  return out;
}
