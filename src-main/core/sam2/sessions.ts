// onnxruntime sessions for the four graphs: the provider chosen per graph with a fallback down
// the plan (provider-plan.ts) and the reason recorded, the memory-attention variant proven for
// that provider, the image encoder's graph for it (encoder-graph.ts), thread counts, and the
// signature check of every graph against the contract.
import { availableParallelism, totalmem } from 'node:os';
import * as ort from 'onnxruntime-node';
import { attentionGraphs, type AttentionGraph } from './attention-variants';
import { PackError } from './errors';
import { checkGraphSignature, expectedSignatures } from './graph-signatures';
import { GRAPH_NAMES, type GraphName } from './manifest';
import { chooseMemoryMode, DEFAULT_GRAPH_MEMORY, fastResidentEstimate, memoryPlan, type GraphMemory, type MemoryChoice, type MemoryMode } from './memory-mode';
import type { AttentionKind } from './onnx-ops';
import type { ModelPack } from './pack';
import { providerNotForAuto, providerUnavailable } from './provider-availability';
import { ensureXdgRuntimeDir } from './xdg-runtime';
import { encoderGraphFor, type GraphSource } from './encoder-graph';
import { chooseAttention, providerPlan, type ProviderChoice, type ProviderName, type Unavailable } from './provider-plan';

export type { ProviderChoice, ProviderName } from './provider-plan';
export { cudaUnavailableReason } from './provider-availability';

export interface SessionOptions {
  provider?: ProviderChoice;
  /** intra-op threads per session; default: number of cores */
  threads?: number;
  /** onnxruntime graph optimisation level (default 'all') */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** memory mode (memory-mode.ts; default 'auto': chosen from the pack, the machine's memory and the provider) */
  memory?: MemoryChoice;
  /** the machine's memory in bytes (default: os.totalmem()); tests pass their own */
  totalMemory?: number;
  /** availability facts (default: this machine's); tests pass their own */
  unavailable?: Unavailable;
  notForAuto?: Unavailable;
  platform?: string;
}

/** A provider that was passed over for a graph, and why (graph 'all': left out before trying). */
export interface ProviderFallback {
  graph: GraphName | 'all';
  provider: ProviderName;
  message: string;
}

export interface GraphSessions {
  sessions: Record<GraphName, ort.InferenceSession>;
  providers: Record<GraphName, ProviderName>;
  /** which memory-attention graph runs (the one proven for its provider) */
  attention: AttentionKind;
  /** the image encoder's attention: fused (rewritten at load, encoder-graph.ts) or the pack's plain graph */
  encoderAttention: AttentionKind;
  fallbacks: ProviderFallback[];
  /** the fallbacks in one line ("graph: provider: message; …"), or null when there were none */
  fallbackReason: string | null;
  /** the memory mode the sessions were opened with, and why */
  memory: { mode: MemoryMode; reason: string };
  loadMs: number;
  threads: number;
  release(): Promise<void>;
}

export function describeFallbacks(f: readonly ProviderFallback[]): string | null {
  return f.length ? f.map((x) => `${x.graph === 'all' ? 'every graph' : x.graph}: ${x.provider} not used (${x.message})`).join('; ') : null;
}

/** One session on one provider, from a file or from bytes (with the folder of their external weights). */
export async function openGraph(
  graph: GraphSource,
  provider: ProviderName,
  threads: number,
  level: SessionOptions['graphOptimizationLevel'],
  memory: GraphMemory = DEFAULT_GRAPH_MEMORY,
): Promise<ort.InferenceSession> {
  if (provider === 'webgpu') ensureXdgRuntimeDir();
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: [provider],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: level ?? 'all',
    enableCpuMemArena: memory.arena,
    enableMemPattern: memory.memPattern,
    // a failed GPU attempt is reported through the fallbacks, not as a native log line; GPU
    // providers also warn that shape ops stay on the CPU, which is by design
    logSeverityLevel: provider === 'cpu' ? 3 : 4,
  };
  if (typeof graph === 'string') return ort.InferenceSession.create(graph, options);
  return ort.InferenceSession.create(graph.bytes, {
    ...options,
    extra: { session: { model_external_initializers_file_folder_path: graph.externalDataDir } },
  });
}

/**
 * Opens the four sessions. For each graph the plan's providers are tried in order; a provider
 * that failed once is not tried again for the later graphs. Memory attention uses the variant
 * proven for the provider (a provider with no proven variant in the pack is passed over). An
 * explicit provider that is unavailable or fails is an error naming the graph and the reason.
 */
export async function createSessions(pack: ModelPack, opts: SessionOptions = {}): Promise<GraphSessions> {
  const t0 = performance.now();
  const threads = Math.max(1, Math.floor(opts.threads ?? availableParallelism()));
  const choice = opts.provider ?? 'auto';
  const platform = opts.platform ?? process.platform;
  const { plan, skipped } = providerPlan(choice, platform, opts.unavailable ?? providerUnavailable(platform), opts.notForAuto ?? providerNotForAuto(platform));
  const fallbacks: ProviderFallback[] = skipped.map((s) => ({ graph: 'all', provider: s.provider, message: s.reason }));
  if (plan.length === 0) {
    const file = pack.manifest.graphs.image_encoder;
    throw new PackError('GRAPH_LOAD', `the ${choice} provider cannot be used here: ${skipped[0]?.reason ?? 'unavailable'}`, file);
  }
  const memory = chooseMemoryMode({
    choice: opts.memory ?? 'auto',
    provider: plan[0]!,
    totalMemoryBytes: opts.totalMemory ?? totalmem(),
    fastBytes: fastResidentEstimate(pack.manifest),
  });
  const mem = memoryPlan(memory.mode);
  const specs = expectedSignatures(pack.manifest);
  const variants = preferred(attentionGraphs(pack), mem.preferAttention);
  const sessions = {} as Record<GraphName, ort.InferenceSession>;
  const providers = {} as Record<GraphName, ProviderName>;
  let attention: AttentionKind = variants[0]!.kind;
  let encoderAttention: AttentionKind = 'plain';
  const failed = new Set<ProviderName>();
  const opened: ort.InferenceSession[] = [];
  try {
    for (const g of GRAPH_NAMES) {
      let session: ort.InferenceSession | null = null;
      let last = '';
      let file = pack.manifest.graphs[g];
      for (const p of plan) {
        if (failed.has(p)) continue;
        let graph: AttentionGraph | null = null;
        if (g === 'memory_attention') {
          const pick = chooseAttention(
            p,
            variants.map((v) => v.kind),
          );
          if (pick.kind === null) {
            last = pick.reason;
            fallbacks.push({ graph: g, provider: p, message: pick.reason });
            continue;
          }
          graph = variants.find((v) => v.kind === pick.kind)!;
        }
        const encoder = g === 'image_encoder' ? encoderGraphFor(pack, p) : null;
        try {
          session = await openGraph(encoder?.graph ?? graph?.path ?? pack.graphPaths[g], p, threads, opts.graphOptimizationLevel, mem.graphs[g]);
          providers[g] = p;
          if (encoder) encoderAttention = encoder.kind;
          if (graph) {
            attention = graph.kind;
            file = graph.file;
          }
          break;
        } catch (e) {
          last = firstLine(e);
          failed.add(p);
          fallbacks.push({ graph: g, provider: p, message: `session creation failed: ${last}` });
        }
      }
      if (!session) {
        throw new PackError('GRAPH_LOAD', `${file} could not be loaded${choice === 'auto' ? '' : ` with the ${choice} provider`}: ${last}`, file);
      }
      opened.push(session);
      sessions[g] = session;
      checkGraphSignature(file, g, specs[g], session.inputMetadata as never, session.outputMetadata as never);
    }
  } catch (e) {
    await Promise.all(opened.map((s) => s.release().catch(() => undefined)));
    throw e;
  }
  return {
    sessions,
    providers,
    attention,
    encoderAttention,
    fallbacks,
    fallbackReason: describeFallbacks(fallbacks),
    memory,
    loadMs: performance.now() - t0,
    threads,
    async release() {
      await Promise.all(Object.values(sessions).map((s) => s.release().catch(() => undefined)));
    },
  };
}

/**
 * One graph's session on one provider (no fallback), signature-checked: the pre-encoding thread
 * opens only the image encoder, on the provider the engine's own encoder got. `arena: false`
 * gives the activations of each run back instead of keeping onnxruntime's CPU arena at its peak
 * (measured on the hiera-tiny-shaped encoder: RSS ~1.5 GB with the arena, ~0.44 GB without).
 */
export async function createGraphSession(
  pack: ModelPack,
  graph: Exclude<GraphName, 'memory_attention'>,
  provider: ProviderName,
  threads: number,
  opts: { arena?: boolean } = {},
): Promise<ort.InferenceSession> {
  const file = pack.manifest.graphs[graph];
  let session: ort.InferenceSession;
  try {
    const source = graph === 'image_encoder' ? encoderGraphFor(pack, provider).graph : pack.graphPaths[graph];
    session = await openGraph(source, provider, Math.max(1, Math.floor(threads)), 'all', {
      ...DEFAULT_GRAPH_MEMORY,
      arena: opts.arena ?? true,
    });
  } catch (e) {
    throw new PackError('GRAPH_LOAD', `${file} could not be loaded with the ${provider} provider: ${firstLine(e)}`, file);
  }
  try {
    checkGraphSignature(file, graph, expectedSignatures(pack.manifest)[graph], session.inputMetadata as never, session.outputMetadata as never);
  } catch (e) {
    await session.release().catch(() => undefined);
    throw e;
  }
  return session;
}

/** The pack's attention graphs with `kind` first (a provider that has not proven it still skips it). */
function preferred(graphs: AttentionGraph[], kind: AttentionKind | null): AttentionGraph[] {
  return kind ? [...graphs.filter((g) => g.kind === kind), ...graphs.filter((g) => g.kind !== kind)] : graphs;
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0]!.slice(0, 300);
}
