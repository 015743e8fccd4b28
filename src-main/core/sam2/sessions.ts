// onnxruntime sessions for the four graphs: provider choice with a clean CPU fallback, thread
// counts, and the signature check of every graph against the contract.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { PackError } from './errors';
import { checkGraphSignature, expectedSignatures } from './graph-signatures';
import { GRAPH_NAMES, type GraphName } from './manifest';
import type { ModelPack } from './pack';

export type ProviderChoice = 'auto' | 'cpu' | 'cuda';
export type ProviderName = 'cpu' | 'cuda';

export interface SessionOptions {
  provider?: ProviderChoice;
  /** intra-op threads per session; default: number of cores */
  threads?: number;
  /** onnxruntime graph optimisation level (default 'all') */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
}

export interface GraphSessions {
  sessions: Record<GraphName, ort.InferenceSession>;
  providers: Record<GraphName, ProviderName>;
  /** why CUDA was not used, when it was asked for (auto) or when it failed */
  fallbackReason: string | null;
  loadMs: number;
  threads: number;
  release(): Promise<void>;
}

/**
 * Why CUDA cannot even be tried, or null when it can: onnxruntime-node has a CUDA provider on
 * Linux x64 only, and its install script places the provider libraries next to the binding
 * (they are left out when the install could not download them). Checking first avoids a noisy
 * native error for every auto start on machines without them.
 */
export function cudaUnavailableReason(): string | null {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `onnxruntime-node has no CUDA provider on ${process.platform}-${process.arch}`;
  try {
    const req = createRequire(import.meta.url);
    const bin = join(dirname(req.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', 'linux', 'x64');
    for (const lib of ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so']) {
      if (!existsSync(join(bin, lib))) return `onnxruntime-node's CUDA provider library ${lib} is not installed`;
    }
  } catch {
    return 'onnxruntime-node could not be located';
  }
  return null;
}

/** Which providers to try, in order, for a choice. Pure: the decision table is unit-tested. */
export function providerPlan(choice: ProviderChoice, cudaBuild: boolean): ProviderName[] {
  if (choice === 'cpu') return ['cpu'];
  if (choice === 'cuda') return ['cuda'];
  return cudaBuild ? ['cuda', 'cpu'] : ['cpu'];
}

async function createOne(path: string, provider: ProviderName, threads: number, level: SessionOptions['graphOptimizationLevel']): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(path, {
    executionProviders: provider === 'cuda' ? ['cuda'] : ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: level ?? 'all',
    // a failed CUDA attempt is reported through fallbackReason, not as a native log line
    logSeverityLevel: provider === 'cuda' ? 4 : 3,
  });
}

/**
 * Opens the four sessions. 'auto' tries CUDA and falls back to CPU for every graph when a CUDA
 * session cannot be created; 'cuda' fails with the reason instead. Checks each graph's signature.
 */
export async function createSessions(pack: ModelPack, opts: SessionOptions = {}): Promise<GraphSessions> {
  const t0 = performance.now();
  const threads = Math.max(1, Math.floor(opts.threads ?? availableParallelism()));
  const cudaMissing = cudaUnavailableReason();
  const plan = providerPlan(opts.provider ?? 'auto', cudaMissing === null);
  const specs = expectedSignatures(pack.manifest);
  const sessions = {} as Record<GraphName, ort.InferenceSession>;
  const providers = {} as Record<GraphName, ProviderName>;
  let fallbackReason: string | null = plan[0] === 'cpu' && opts.provider !== 'cpu' ? `${cudaMissing}; using CPU` : null;
  const opened: ort.InferenceSession[] = [];
  try {
    for (const g of GRAPH_NAMES) {
      const path = pack.graphPaths[g];
      const file = pack.manifest.graphs[g];
      let session: ort.InferenceSession | null = null;
      let lastErr: unknown = null;
      for (const p of plan) {
        // once CUDA failed for one graph, do not retry it for the others
        if (p === 'cuda' && fallbackReason && plan.length > 1) continue;
        try {
          session = await createOne(path, p, threads, opts.graphOptimizationLevel);
          providers[g] = p;
          break;
        } catch (e) {
          lastErr = e;
          if (p === 'cuda') fallbackReason = `CUDA session creation failed (${firstLine(e)}); using CPU`;
        }
      }
      if (!session) {
        const why = firstLine(lastErr);
        const cudaOnly = plan.length === 1 && plan[0] === 'cuda';
        throw new PackError('GRAPH_LOAD', `${file} could not be loaded${cudaOnly ? ` with the CUDA provider${cudaMissing ? ` (${cudaMissing})` : ''}` : ''}: ${why}`, file);
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
    fallbackReason,
    loadMs: performance.now() - t0,
    threads,
    async release() {
      await Promise.all(Object.values(sessions).map((s) => s.release().catch(() => undefined)));
    },
  };
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0]!.slice(0, 300);
}
