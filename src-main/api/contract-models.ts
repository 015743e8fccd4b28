// The model part of the API contract: providers, model packs and their families, the engine's
// status and pre-encoding, the download catalog. Plain data; contract.ts re-exports it.

export type ProviderName = 'cpu' | 'cuda' | 'webgpu' | 'dml' | 'coreml';
/** 'auto': CUDA → WebGPU → DirectML (Windows) / CoreML (macOS) → CPU, per graph with fallback */
export type ProviderChoice = 'auto' | ProviderName;
/** A provider passed over for a graph ('all': left out before trying) and why. */
export interface ProviderFallback {
  graph: string;
  provider: ProviderName;
  message: string;
}
export interface ModelPackInfo {
  id: string;
  name: string;
  dir: string;
  bytes: number;
  imageSize: number;
  verified: boolean;
  problem: string | null;
  /** the model family (from model.json's format) and what it means; null when the format is unknown */
  family: ModelFamilyInfo | null;
  /** one tracked frame timed on this machine when the pack was first used; null until then */
  speed: PackSpeed | null;
}

export type ModelFamilyId = 'sam2' | 'edgetam';

/** A model family as the models screen explains it (core/models/families.ts). */
export interface ModelFamilyInfo {
  id: ModelFamilyId;
  label: string;
  /** the trade-off in practice */
  meaning: string;
  /** the published accuracy figure */
  accuracy: string;
}

/** One tracked frame (one object, one memory frame) timed on this machine. */
export interface PackSpeed {
  msPerFrame: number;
  /** ms per graph of that frame */
  graphs: Record<string, number>;
  provider: string;
  threads: number;
  /** ISO time of the measurement */
  measuredAt: string;
  /** one segment-everything mask-decoder call of `amgBatch` points, ms (absent in measurements older than it: measured again) */
  amgBatchMs?: number;
  amgBatch?: number;
}

/**
 * The engine as the UI shows it. 'none': no usable model pack is installed (the UI says how to
 * get one: import a folder, download from the catalog, or export with models/export);
 * 'loading': the pack and the project's frames are being opened; 'failed': see `error`.
 */
export interface EngineStatus {
  state: 'none' | 'loading' | 'ready' | 'failed';
  pack: ModelPackInfo | null;
  /** provider per graph, e.g. { image_encoder: 'cuda', ... } */
  providers: Record<string, ProviderName>;
  /** session load time of the pack (ms) */
  loadMs: number;
  /** the provider setting the engine was opened with */
  providerChoice?: ProviderChoice;
  /** providers passed over, per graph, with the reason */
  fallbacks?: ProviderFallback[];
  /** the memory-attention variant that runs ('plain' | 'fused') */
  attention?: string;
  /** the image encoder's attention ('fused' on the CPU where the encoder has attention, else 'plain') */
  encoderAttention?: string;
  /** intra-op threads per session */
  threads: number;
  error: string | null;
}

/** Pre-encoding (docs/engine.md): the app's setting — on/off and the window (±frames around the resting frame). */
export interface PreencodeSettings {
  enabled: boolean;
  window: number;
}

/** What pre-encoding is doing: the status bar shows "frame ready" (a click there skips the image encoder) or "encoding". */
export interface PreencodeStatus extends PreencodeSettings {
  /** the frame the playhead rests on (null: none yet, or no engine) */
  frame: number | null;
  /** that frame's image features are cached */
  ready: boolean;
  /** the frame being encoded in the background, or null */
  encoding: number | null;
  /** frames of the window cached / frames in the window */
  done: number;
  total: number;
  /** the window stopped short: more frames would not fit the feature cache without evicting conditioning frames */
  full: boolean;
}

/** A catalog entry as the models screen lists it. */
export interface CatalogEntrySummary {
  id: string;
  name: string;
  bytes: number;
  description: string;
  source: string;
  /** false: cannot be downloaded (see `reason`, e.g. the export command to run instead) */
  available: boolean;
  reason: string | null;
}
