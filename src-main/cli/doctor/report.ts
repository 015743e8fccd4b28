// What `maskline doctor` found, and the decisions on it: which findings are problems (the exit
// code), and the plain text it prints. Pure, table-tested in test/unit/cli/doctor-report.test.ts.
import type { ProviderName } from '../../core/sam2/provider-plan';

export interface ProviderCheck {
  provider: ProviderName;
  /** why it cannot be tried here (not a problem unless it was asked for), else null */
  unavailable: string | null;
  /** why auto leaves it out although it could be tried (e.g. WebGPU on a software Vulkan driver) */
  notForAuto?: string | null;
  /** true: tried (asked for, or on the auto ladder here) */
  tried: boolean;
  /** the error when it was tried and failed */
  error: string | null;
  /** ms per graph: the first call (with warm-up: shader compilation on GPUs) and a later one */
  timings: Record<string, { first: number; then: number | null }> | null;
  /** graphs that ran on another provider, and why */
  fallbacks: string[];
  /** the memory attention and the image encoder's attention that ran ('plain' | 'fused') */
  attention: string | null;
  encoderAttention: string | null;
}

export interface DoctorReport {
  platform: string;
  node: string;
  onnxruntime: string;
  bundled: string[];
  ffmpeg: { path: string; version: string } | null;
  ffprobe: { path: string; version: string } | null;
  dataDir: { path: string; error: string | null };
  pack: { dir: string | null; name: string | null; error: string | null };
  providers: ProviderCheck[];
  /** the provider was given with --provider (then its being unavailable is a problem) */
  asked: ProviderName | null;
}

/** One plain sentence per problem; empty when everything needed works. */
export function doctorProblems(r: DoctorReport): string[] {
  const out: string[] = [];
  if (!r.ffmpeg) out.push('ffmpeg was not found: run npm install again, install ffmpeg from your system packages, or set MASKLINE_FFMPEG to a binary.');
  if (!r.ffprobe)
    out.push(
      'ffprobe was not found: run npm install again, install ffmpeg (it includes ffprobe) from your system packages, or set MASKLINE_FFPROBE to a binary.',
    );
  if (r.dataDir.error) out.push(`The data folder ${r.dataDir.path} is not writable (${r.dataDir.error}): set MASKLINE_DATA_DIR to a folder you can write.`);
  if (r.pack.error) out.push(`No usable model pack: ${r.pack.error}`);
  for (const p of r.providers) {
    if (p.unavailable && r.asked === p.provider) out.push(`The ${p.provider} provider was asked for but cannot be used here: ${p.unavailable}.`);
    if (p.tried && p.error) out.push(`The ${p.provider} provider is available but does not work: ${p.error}`);
  }
  return out;
}

const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);

export function formatReport(r: DoctorReport): string {
  const lines = [
    `platform     ${r.platform}, Node ${r.node}, onnxruntime-node ${r.onnxruntime} (bundled providers: ${r.bundled.join(', ')})`,
    `ffmpeg       ${r.ffmpeg ? `${r.ffmpeg.version} (${r.ffmpeg.path})` : 'NOT FOUND'}`,
    `ffprobe      ${r.ffprobe ? `${r.ffprobe.version} (${r.ffprobe.path})` : 'NOT FOUND'}`,
    `data folder  ${r.dataDir.path} ${r.dataDir.error ? `NOT WRITABLE (${r.dataDir.error})` : 'writable'}`,
    `model pack   ${r.pack.error ? `NONE (${r.pack.error})` : `${r.pack.name} (${r.pack.dir})`}`,
    'providers',
  ];
  for (const p of r.providers) {
    if (!p.tried) {
      const why = p.unavailable
        ? `not available: ${p.unavailable}`
        : `available, not tried${p.notForAuto ? ` (auto does not use it: ${p.notForAuto})` : ''}; check it with --provider ${p.provider}`;
      lines.push(`  ${p.provider.padEnd(7)} ${why}`);
      continue;
    }
    if (p.error) {
      lines.push(`  ${p.provider.padEnd(7)} FAILED: ${p.error}`);
      continue;
    }
    const graphs = [p.encoderAttention && `image encoder attention: ${p.encoderAttention}`, p.attention && `memory attention: ${p.attention}`].filter(Boolean);
    lines.push(`  ${p.provider.padEnd(7)} works${graphs.length ? ` (${graphs.join(', ')})` : ''}`);
    for (const [g, t] of Object.entries(p.timings ?? {}))
      lines.push(`    ${g.padEnd(17)} first ${ms(t.first).padStart(9)}   then ${t.then === null ? '—' : ms(t.then)}`);
    for (const f of p.fallbacks) lines.push(`    fallback: ${f}`);
  }
  return lines.join('\n');
}
