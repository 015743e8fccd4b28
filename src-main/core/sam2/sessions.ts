// onnxruntime sessions for the four graphs: provider choice with a clean CPU fallback, thread
// counts, and the signature check of every graph against the contract.
import { availableParallelism } from 'node:os';
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

/** Whether this onnxruntime-node build ships a CUDA provider at all (Linux x64 only). */
export function cudaBuildAvailable(): boolean {
  return process.platform === 'linux' && process.arch === 'x64';
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
  const plan = providerPlan(opts.provider ?? 'auto', cudaBuildAvailable());
  const specs = expectedSignatures(pack.manifest);
  const sessions = {} as Record<GraphName, ort.InferenceSession>;
  const providers = {} as Record<GraphName, ProviderName>;
  let fallbackReason: string | null = plan[0] === 'cpu' && opts.provider !== 'cpu' ? 'this onnxruntime-node build has no CUDA provider on this platform' : null;
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
        throw new PackError('GRAPH_LOAD', `${file} could not be loaded${plan.length === 1 && plan[0] === 'cuda' ? ' with the CUDA provider' : ''}: ${why}`, file);
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
