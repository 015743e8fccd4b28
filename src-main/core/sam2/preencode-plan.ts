// Pure decisions of pre-encoding (docs/engine.md, "Pre-encoding"): which frames to encode while
// the person looks at a frame, which cached features may make room for them, and how big the
// caches are by default for a pack. The scheduler (engine/preencoder.ts) and the feature cache
// only apply these; they are table-tested in test/unit/sam2/preencode-plan.test.ts.
import type { PackManifest } from './manifest';

/**
 * How much a frame's cached features are worth keeping:
 * - `pinned`: a conditioning frame of some object (the most recently used ones, see
 *   pinnedConditioning), or a frame a running propagation needs next;
 * - `window`: inside the pre-encoding window around the frame the playhead rests on;
 * - `plain`: anything else (e.g. a frame already tracked): first to go.
 */
export type FeatureClass = 'pinned' | 'window' | 'plain';

export interface CachedFrame {
  frame: number;
  bytes: number;
  cls: FeatureClass;
}

/** The frames to pre-encode around `center`, nearest first: c, c+1, c−1, c+2, c−2, … (±window). */
export function preencodeOrder(center: number, window: number, numFrames: number): number[] {
  if (!Number.isInteger(center) || center < 0 || center >= numFrames) return [];
  const out = [center];
  for (let d = 1; d <= Math.max(0, Math.floor(window)); d++) {
    if (center + d < numFrames) out.push(center + d);
    if (center - d >= 0) out.push(center - d);
  }
  return out;
}

/** The next frame the pre-encoder should encode: the first of `order` not cached, or null when the window is done. */
export function nextToPreencode(order: readonly number[], isCached: (frame: number) => boolean): number | null {
  for (const f of order) if (!isCached(f)) return f;
  return null;
}

/**
 * Which entries to evict (least recently used first; `entries` is in LRU order, oldest first)
 * so that `incoming` bytes fit in `budget`, or null when they cannot.
 *
 * A background insert (pre-encoding) may only evict `plain` entries and never goes over the
 * budget: it is refused instead. A foreground insert (something the user asked for) takes
 * `plain` entries first, then `window` ones, then `pinned` ones, and is never refused: when it
 * alone is bigger than the budget, everything else goes and it is kept anyway.
 */
export function evictionsFor(entries: readonly CachedFrame[], incoming: number, budget: number, background: boolean): number[] | null {
  let used = entries.reduce((s, e) => s + e.bytes, 0);
  const out: number[] = [];
  const classes: FeatureClass[] = background ? ['plain'] : ['plain', 'window', 'pinned'];
  for (const cls of classes) {
    for (const e of entries) {
      if (used + incoming <= budget) return out;
      if (e.cls !== cls) continue;
      out.push(e.frame);
      used -= e.bytes;
    }
  }
  if (used + incoming <= budget) return out;
  return background ? null : out;
}

/** Conditioning frames whose features stay pinned whatever the budget: the last ones worked on. */
export const PINNED_CONDITIONING_MIN = 3;

/**
 * How many conditioning frames' features may be pinned: what the budget holds beyond the
 * pre-encoding window (2·radius + 1 frames), never fewer than PINNED_CONDITIONING_MIN. Without a
 * limit every prompted frame stays pinned, and after as many prompts as the budget has frames
 * pre-encoding could never again make room for the frame the person looks at.
 */
export function conditioningPinLimit(budgetBytes: number, frameBytes: number, radius: number): number {
  const frames = Math.floor(budgetBytes / Math.max(1, frameBytes));
  return Math.max(PINNED_CONDITIONING_MIN, frames - (2 * Math.max(0, radius) + 1));
}

/**
 * The conditioning frames that stay pinned: of the cached frames (`lru`, least recently used
 * first) the `limit` most recently used conditioning ones. The others are no longer protected
 * from pre-encoding: a click on one of them again re-runs the encoder (foreground), nothing else.
 */
export function pinnedConditioning(lru: readonly number[], isConditioning: (frame: number) => boolean, limit: number): Set<number> {
  const cond = lru.filter(isConditioning);
  return new Set(cond.slice(Math.max(0, cond.length - Math.max(0, limit))));
}

/** Bytes of one frame's image features (stride-4, stride-8 and stride-16 maps, float32). */
export function featureBytesPerFrame(m: Pick<PackManifest, 'hiddenDim' | 'featSize'>): number {
  const f = m.featSize;
  const C = m.hiddenDim;
  return 4 * ((C / 8) * 16 * f * f + (C / 4) * 4 * f * f + C * f * f);
}

/** Bytes of the evictable parts of one tracked output: low-res logits (float32) and its stored memory (bf16 or float32). */
export function outputBytesPerFrame(m: Pick<PackManifest, 'memDim' | 'featSize' | 'memoryTokensPerFrame' | 'memoryBf16'>): number {
  const L = 4 * m.featSize;
  return 4 * L * L + (m.memoryBf16 ? 2 : 4) * m.memoryTokensPerFrame * m.memDim;
}

/** Frames beyond what the memory bank and the pre-encoding window need (a click, the frame being tracked, one ahead). */
export const SPARE_FRAMES = 3;

/** Default pre-encoding window: ±4 frames around the frame the playhead rests on. */
export const DEFAULT_PREENCODE_WINDOW = 4;

/**
 * Default feature-cache budget for a pack: the pre-encoding window (2·window + 1 frames), the
 * memory bank's frames (num_maskmem, whose features re-encode an evicted memory) and a few spare.
 */
export function defaultFeatureBudget(m: Pick<PackManifest, 'hiddenDim' | 'featSize' | 'numMaskmem'>, window = DEFAULT_PREENCODE_WINDOW): number {
  return featureBytesPerFrame(m) * (2 * Math.max(0, window) + 1 + m.numMaskmem + SPARE_FRAMES);
}

/**
 * Default budget of evictable outputs for `objects` objects: per object the num_maskmem − 1
 * frames a propagation protects, plus a few more frames, so that a correction just behind the
 * tracked front keeps exact logits without the budget growing with the video.
 */
export function defaultOutputBudget(
  m: Pick<PackManifest, 'memDim' | 'featSize' | 'numMaskmem' | 'memoryTokensPerFrame' | 'memoryBf16'>,
  objects: number,
): number {
  return outputBytesPerFrame(m) * Math.max(1, objects) * (m.numMaskmem + SPARE_FRAMES + 1);
}

/** Frames of a propagation's remaining order whose cached features must stay: the next `ahead` ones. */
export function propagationAhead(order: readonly number[], index: number, ahead: number): number[] {
  return order.slice(index + 1, index + 1 + Math.max(0, ahead));
}

/** How the pre-encoding thread runs its image encoder next to the engine's own sessions. */
export interface PreencodeThreadPlan {
  /** intra-op threads of its image-encoder session */
  threads: number;
  /** nice value the thread sets on itself before it opens the session (null: left as is) */
  nice: number | null;
  /** also the SCHED_IDLE policy (Linux): it then runs only on a core nothing else wants */
  idle: boolean;
  /** onnxruntime's CPU arena for its session: faster runs, the encoder's peak activations kept resident */
  arena: boolean;
}

/** The lowest CPU priority: a nice-19 thread gets ~1.5 % of a core a nice-0 thread wants (CFS weights 15 vs 1024). */
export const PREENCODE_NICE = 19;

/**
 * Machines with at least this much memory give the thread's session a CPU arena. Measured on the
 * hiera-tiny-shaped encoder, 2 cores (docs/benchmarks.md, 2026-12-06): 1.78 s per run with the
 * arena against 2.95 s without, for ~1.3 GB more resident memory. Without it a run is longer than
 * the rest a click follows (the rested frame was ready at 0 of 20 clicks), so the arena is what
 * makes pre-encoding pay; below this size the memory matters more.
 */
export const PREENCODE_ARENA_MIN_MEMORY = 8 * 2 ** 30;

/**
 * Pre-encoding must never slow down what the user asked for, yet should use the whole machine
 * when nothing else runs. On Linux a nice value and a scheduling policy are per thread and
 * inherited by the threads onnxruntime starts for the session, so the thread lowers its own
 * priority and keeps as many intra-op threads as the engine (the OS then pre-empts it mid-run
 * for a click or a propagation). Nice 19 alone was not enough: the kernel's scheduler (EEVDF)
 * lets a running nice-19 thread finish its slice before a woken engine thread gets the core, and
 * the mask decoder wakes its threads for every operator — a click's decoder took 30–86 ms beside
 * a neighbour's encoder run instead of ~35 ms. A SCHED_IDLE thread is pre-empted at once by any
 * normal one (docs/engine.md, "Pre-encoding"). Elsewhere setpriority changes the whole process,
 * so the thread leaves one core free instead (cores − 1, at least 1).
 */
export function preencodeThreadPlan(platform: string, engineThreads: number, totalMemoryBytes: number): PreencodeThreadPlan {
  const threads = Math.max(1, Math.floor(engineThreads));
  const arena = totalMemoryBytes >= PREENCODE_ARENA_MIN_MEMORY;
  if (platform === 'linux') return { threads, nice: PREENCODE_NICE, idle: true, arena };
  return { threads: Math.max(1, threads - 1), nice: null, idle: false, arena };
}
