// How the top bar names the providers the engine's graphs run on: one name when they agree
// ("WEBGPU"), else each distinct one with the graphs on it ("WEBGPU · CPU: memory_attention").
import type { ProviderFallback } from '$api/contract';

const NAMES: Record<string, string> = { cpu: 'CPU', cuda: 'CUDA', webgpu: 'WebGPU', dml: 'DirectML', coreml: 'CoreML' };
const short = (p: string) => NAMES[p] ?? p;

export function providerLabel(providers: Record<string, string>): string | null {
  const entries = Object.entries(providers);
  if (!entries.length) return null;
  const counts = new Map<string, string[]>();
  for (const [g, p] of entries) counts.set(p, [...(counts.get(p) ?? []), g]);
  if (counts.size === 1) return short(entries[0]![1]);
  // the provider most graphs use first, then the others with their graphs
  const sorted = [...counts.entries()].sort((a, b) => b[1].length - a[1].length);
  return [short(sorted[0]![0]), ...sorted.slice(1).map(([p, gs]) => `${short(p)}: ${gs.join(', ')}`)].join(' · ');
}

export function providerDetails(providers: Record<string, string>, fallbacks: readonly ProviderFallback[]): string {
  const lines = Object.entries(providers).map(([g, p]) => `${g}: ${short(p)}`);
  for (const f of fallbacks) lines.push(`${f.graph === 'all' ? 'all graphs' : f.graph}: ${short(f.provider)} not used (${f.message})`);
  return lines.join('\n');
}
