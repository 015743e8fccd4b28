// Which execution providers to try, in which order, and which memory-attention variant each one
// may run. Pure functions: the decision tables are unit-tested per platform × availability
// (test/unit/sam2/provider-plan.test.ts); sessions.ts does the trying.
import type { AttentionKind } from './onnx-ops';

export const PROVIDER_NAMES = ['cpu', 'cuda', 'webgpu', 'dml', 'coreml'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];
export type ProviderChoice = 'auto' | ProviderName;

export function isProviderChoice(v: unknown): v is ProviderChoice {
  return v === 'auto' || (PROVIDER_NAMES as readonly unknown[]).includes(v);
}

/** Why each provider cannot be tried on this machine; a provider that is absent here can be tried. */
export type Unavailable = Partial<Record<ProviderName, string>>;

/**
 * The auto ladder: CUDA (when its libraries load) → WebGPU (Dawn: Vulkan, D3D12, Metal) →
 * DirectML (Windows) / CoreML (macOS) → CPU. CPU is always last and always possible.
 */
export function autoLadder(platform: string): ProviderName[] {
  if (platform === 'win32') return ['cuda', 'webgpu', 'dml', 'cpu'];
  if (platform === 'darwin') return ['cuda', 'webgpu', 'coreml', 'cpu'];
  return ['cuda', 'webgpu', 'cpu'];
}

export interface ProviderPlan {
  /** providers to try per graph, in order */
  plan: ProviderName[];
  /** providers of the ladder left out, with the reason (shown to the user as fallbacks) */
  skipped: { provider: ProviderName; reason: string }[];
}

/**
 * The plan for a choice. 'auto' walks the platform's ladder, leaving out the unavailable ones and
 * those `notForAuto` names (usable when asked for, but not worth choosing unasked); an explicit
 * provider is tried alone (no silent fallback: the user asked for it), and when it is unavailable
 * the plan is empty and `skipped` says why.
 */
export function providerPlan(choice: ProviderChoice, platform: string, unavailable: Unavailable, notForAuto: Unavailable = {}): ProviderPlan {
  const auto = choice === 'auto';
  const ladder = auto ? autoLadder(platform) : [choice];
  const plan: ProviderName[] = [];
  const skipped: ProviderPlan['skipped'] = [];
  for (const p of ladder) {
    const why = p === 'cpu' ? undefined : (unavailable[p] ?? (auto ? notForAuto[p] : undefined));
    if (why) skipped.push({ provider: p, reason: why });
    else plan.push(p);
  }
  return { plan, skipped };
}

/**
 * On Linux, WebGPU runs through Vulkan; without a GPU device node (/dev/dri/renderD*, or
 * /dev/nvidia* for NVIDIA's own driver) the only Vulkan device is a software one (Mesa's
 * lavapipe), slower than the CPU provider: fine when asked for (CI proves the GPU path with it),
 * never chosen by auto. Other platforms: Dawn picks the system's D3D12/Metal adapter.
 */
export function webgpuNotForAuto(platform: string, deviceNodes: readonly string[]): string | null {
  if (platform !== 'linux') return null;
  if (deviceNodes.some((d) => /^renderD\d+$/.test(d) || /^nvidia\d+$/.test(d))) return null;
  return 'no GPU device node (/dev/dri/renderD*, /dev/nvidia*): only a software Vulkan driver could run it, slower than the CPU';
}

/**
 * The attention variants proven correct per provider by the parity tests
 * (test/integration/sam2-provider-parity.test.ts). The fused variant (com.microsoft
 * MultiHeadAttention) is wrong on WebGPU (docs/gpu.md: 0.16 off); CUDA, DirectML and CoreML could
 * not be tested on our machines, so only the plain ONNX graph, which every provider runs with its
 * standard kernels, is allowed there.
 */
export const PROVEN_ATTENTION: Record<ProviderName, readonly AttentionKind[]> = {
  cpu: ['plain', 'fused'],
  webgpu: ['plain'],
  cuda: ['plain'],
  dml: ['plain'],
  coreml: ['plain'],
};

/**
 * Which of the pack's memory-attention graphs a provider runs: the first proven one in the
 * pack's order (its default graph first, then its variants), or null with the reason.
 */
export function chooseAttention(provider: ProviderName, available: readonly AttentionKind[]): { kind: AttentionKind } | { kind: null; reason: string } {
  const proven = PROVEN_ATTENTION[provider];
  const kind = available.find((k) => proven.includes(k));
  if (kind) return { kind };
  return { kind: null, reason: `the pack's memory attention is ${available.join(' or ')}, and only ${proven.join(' or ')} is proven on ${provider}` };
}
