// The --provider flag shared by the commands that open the engine.
import { UsageError, type FlagSpec } from './args';
import { isProviderChoice, PROVIDER_NAMES, type ProviderChoice } from '../core/sam2/provider-plan';

export const providerFlagSpec: FlagSpec = {
  type: 'string',
  help: `${PROVIDER_NAMES.join('|')} (default: auto, per graph CUDA → WebGPU → DirectML/CoreML → CPU with fallback)`,
};

export function providerFlag(v: unknown): ProviderChoice {
  const p = v ?? 'auto';
  if (!isProviderChoice(p)) throw new UsageError(`--provider must be ${PROVIDER_NAMES.join(', ')} or auto, got ${String(p)}`);
  return p;
}

/** "image_encoder=webgpu …" plus the fallbacks, for the commands' first status line. */
export function describeProviders(providers: Record<string, string>, fallbackReason: string | null): string {
  const list = Object.entries(providers)
    .map(([g, p]) => `${g}=${p}`)
    .join(' ');
  return fallbackReason ? `${list} (${fallbackReason})` : list;
}
