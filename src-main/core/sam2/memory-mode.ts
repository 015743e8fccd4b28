// How much memory the engine keeps for speed: 'fast' (onnxruntime's defaults: every session keeps
// a CPU arena holding its largest run, and the pack-sized budgets) or 'lean' (activations given
// back after every run, smaller caches), and which of the two a machine gets. Pure decisions,
// unit-tested as tables (test/unit/sam2/memory-mode.test.ts); sessions.ts and engine-core.ts apply
// them. Measured numbers behind them: docs/engine.md, "Memory modes".
import type { GraphName, PackManifest } from './manifest';
import type { AttentionKind } from './onnx-ops';
import { defaultFeatureBudget, defaultOutputBudget, featureBytesPerFrame, outputBytesPerFrame } from './preencode-plan';
import type { ProviderName } from './provider-plan';

export const MEMORY_MODES = ['fast', 'lean'] as const;
export type MemoryMode = (typeof MEMORY_MODES)[number];
export type MemoryChoice = 'auto' | MemoryMode;

export function isMemoryChoice(v: unknown): v is MemoryChoice {
  return v === 'auto' || (MEMORY_MODES as readonly unknown[]).includes(v);
}

/** How one session allocates CPU memory for its activations (onnxruntime session options). */
export interface GraphMemory {
  /** CPU arena: what a run allocated stays resident for the next runs (faster; never given back) */
  arena: boolean;
  /** memory pattern: from a shape's second run on, one block laid out for all of a run's tensors */
  memPattern: boolean;
}

/** onnxruntime's defaults: what every session used before memory modes, and what 'fast' keeps. */
export const DEFAULT_GRAPH_MEMORY: GraphMemory = { arena: true, memPattern: true };

/** What a mode changes in the engine. */
export interface MemoryPlan {
  graphs: Record<GraphName, GraphMemory>;
  /** the memory-attention variant tried first where the provider has proven several (null: the pack's order) */
  preferAttention: AttentionKind | null;
  /** default of CoreOptions.attentionBytes (the attention matrices one memory-attention call may hold) */
  attentionBytes: number;
}

const ALL_GRAPHS = (g: GraphMemory): Record<GraphName, GraphMemory> => ({ image_encoder: g, mask_decoder: g, memory_encoder: g, memory_attention: g });

/**
 * fast: onnxruntime's defaults (as before memory modes) and objects batched up to 3 GiB of
 * attention matrices per call.
 * lean: no CPU arena in any session — what a run allocates is freed when it ends, so only one
 * graph's activations are resident at a time instead of every graph's largest run at once; the
 * memory pattern stays on (without an arena, switching it off too made runs 2–3× slower); the
 * fused memory attention first where the pack has it (onnxruntime's CPU MultiHeadAttention
 * computes it blockwise and never holds the hw × M score matrix, 471 MB per object at a full bank
 * of the hiera-tiny shapes); one object per memory-attention call.
 */
export function memoryPlan(mode: MemoryMode): MemoryPlan {
  if (mode === 'fast') return { graphs: ALL_GRAPHS(DEFAULT_GRAPH_MEMORY), preferAttention: null, attentionBytes: 3 * 2 ** 30 };
  return { graphs: ALL_GRAPHS({ arena: false, memPattern: true }), preferAttention: 'fused', attentionBytes: 0 };
}

/** Frames lean's feature cache keeps beyond the pre-encoding window: the one being tracked or clicked. */
export const LEAN_SPARE_FRAMES = 1;

/**
 * Feature-cache budget: fast keeps the memory bank's frames and a few spare too (they spare the
 * encoder when an evicted memory is re-encoded or a nearby frame clicked), lean only the window
 * and the frame in work (16 MiB per frame at 1024 input; frames the user prompted or a
 * propagation needs next are kept whatever the budget).
 */
export function featureBudgetFor(mode: MemoryMode, m: Pick<PackManifest, 'hiddenDim' | 'featSize' | 'numMaskmem'>, window: number): number {
  if (mode === 'fast') return defaultFeatureBudget(m, window);
  return featureBytesPerFrame(m) * (2 * Math.max(0, window) + 1 + LEAN_SPARE_FRAMES);
}

/** Budget of evictable outputs: lean keeps per object only what a propagation reads (num_maskmem − 1 frames) and the frame just tracked. */
export function outputBudgetFor(
  mode: MemoryMode,
  m: Pick<PackManifest, 'memDim' | 'featSize' | 'numMaskmem' | 'memoryTokensPerFrame' | 'memoryBf16'>,
  objects: number,
): number {
  if (mode === 'fast') return defaultOutputBudget(m, objects);
  return outputBytesPerFrame(m) * Math.max(1, objects) * m.numMaskmem;
}

/** Bytes of one object's attention scores over a full memory bank: hw queries × (num_maskmem · T + pointer tokens) keys, float32. */
export function fullBankScoreBytes(
  m: Pick<PackManifest, 'featSize' | 'numMaskmem' | 'memoryTokensPerFrame' | 'maxObjPtrsInEncoder' | 'hiddenDim' | 'memDim'>,
): number {
  const keys = m.numMaskmem * m.memoryTokensPerFrame + (m.maxObjPtrsInEncoder * m.hiddenDim) / m.memDim;
  return 4 * m.featSize * m.featSize * keys;
}

/**
 * Resident memory of fast mode on the CPU for one object, estimated from the pack's shapes: the
 * arenas keep every graph's largest run, dominated by memory attention's scores and probabilities
 * (kept twice: a run's own chunks and then the memory pattern's block) and the image encoder's
 * attention. Measured on the hiera-tiny shapes (2026-12-06, one session per process): memory
 * attention 2467 MB at a full bank, image encoder 1352 MB, i.e. 8.1× the 471 MB of scores.
 */
export const FAST_RESIDENT_PER_SCORE_BYTE = 8;

export function fastResidentEstimate(m: Parameters<typeof fullBankScoreBytes>[0]): number {
  return FAST_RESIDENT_PER_SCORE_BYTE * fullBankScoreBytes(m);
}

/** Fast mode is chosen when its estimate is at most this share of the machine's memory (the app, the OS and other programs keep the rest). */
export const FAST_MEMORY_SHARE = 1 / 4;

export interface MemoryFacts {
  choice: MemoryChoice;
  /** the provider the engine tries first (its CPU arenas matter only on the CPU) */
  provider: ProviderName;
  totalMemoryBytes: number;
  /** fastResidentEstimate of the pack */
  fastBytes: number;
}

/**
 * The mode for a pack on a machine: what was asked for; else fast on a GPU provider (the
 * activations live in the device's memory: the CPU arenas hold only what the provider leaves on
 * the CPU); else, on the CPU, fast when its estimate fits FAST_MEMORY_SHARE of the machine's
 * memory, lean otherwise.
 */
export function chooseMemoryMode(f: MemoryFacts): { mode: MemoryMode; reason: string } {
  if (f.choice !== 'auto') return { mode: f.choice, reason: `${f.choice} was asked for` };
  const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
  if (f.provider !== 'cpu') return { mode: 'fast', reason: `${f.provider} keeps the activations in its device's memory` };
  const limit = f.totalMemoryBytes * FAST_MEMORY_SHARE;
  if (f.fastBytes <= limit) return { mode: 'fast', reason: `fast needs ~${gib(f.fastBytes)}, within a quarter of this machine's ${gib(f.totalMemoryBytes)}` };
  return { mode: 'lean', reason: `fast would need ~${gib(f.fastBytes)}, more than a quarter of this machine's ${gib(f.totalMemoryBytes)}` };
}

/**
 * glibc's malloc raises its mmap threshold (up to 32 MiB) each time it frees a large block, and
 * keeps freed blocks below the threshold in its heaps: the activations lean gives back stay
 * resident. A fixed threshold, which only the environment at process start can set, makes every
 * block of 1 MiB or more go back to the system when freed. Measured on the hiera-tiny shapes,
 * 1080p, 2 objects, 24 frames (2026-12-06): lean peaked at 1539 MB without it, 997 MB with it.
 */
export const GLIBC_MMAP_TUNABLE = 'glibc.malloc.mmap_threshold=1048576';

/** Whether a GLIBC_TUNABLES value already fixes the mmap threshold (any value: the user's own wins). */
export function fixesMmapThreshold(glibcTunables: string | undefined): boolean {
  return (glibcTunables ?? '').includes('glibc.malloc.mmap_threshold');
}

/** A line for lean runs on Linux started without a fixed mmap threshold (null: nothing to say). */
export function mallocAdvice(platform: string, mode: MemoryMode, glibcTunables: string | undefined): string | null {
  if (mode !== 'lean' || platform !== 'linux' || fixesMmapThreshold(glibcTunables)) return null;
  return `lean memory: glibc keeps freed activations resident unless the process starts with GLIBC_TUNABLES=${GLIBC_MMAP_TUNABLE} (an explicit --memory lean starts again with it; docs/engine.md, "Memory modes")`;
}
