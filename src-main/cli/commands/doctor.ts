// `maskline doctor`: is this machine ready? Platform, execution providers available and working
// (a 1-frame timing per graph on the installed pack per provider), ffmpeg, the data folder. Exits
// 1 with one plain message per problem.
import { UsageError } from '../args';
import type { CliCommand } from '../command';
import { doctorProblems, formatReport } from '../doctor/report';
import { probe } from '../doctor/probe';
import { providerFlag } from '../provider-flag';
import { PROVIDER_NAMES } from '../../core/sam2/provider-plan';
import { defaultDataDir } from '../../services/install-locations';

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'Check this machine: providers (1-frame timing per graph), ffmpeg, data folder, model pack',
  flags: {
    model: { type: 'path', help: 'model pack folder to time (default: the installed pack the app uses)' },
    provider: { type: 'string', help: `check only this provider: ${PROVIDER_NAMES.join('|')} (default: every provider the auto ladder tries here)` },
    threads: { type: 'number', help: 'onnxruntime threads per graph (default: number of cores)' },
  },
  async run(flags) {
    const asked = flags.provider === undefined ? undefined : providerFlag(flags.provider);
    if (asked === 'auto') throw new UsageError('--provider auto is the default; name one provider to check it alone');
    const threads = flags.threads === undefined ? undefined : Number(flags.threads);
    if (threads !== undefined && (!Number.isInteger(threads) || threads < 1))
      throw new UsageError(`--threads must be a positive whole number, got ${flags.threads}`);
    const report = await probe({
      dataDir: defaultDataDir(),
      repoRoot: null,
      model: typeof flags.model === 'string' ? flags.model : undefined,
      asked,
      threads,
    });
    console.log(formatReport(report));
    const problems = doctorProblems(report);
    if (problems.length === 0) {
      const gpu = report.providers.filter((p) => p.tried && !p.error && p.provider !== 'cpu').map((p) => p.provider);
      console.log(
        `\nok: ${gpu.length ? `GPU provider${gpu.length > 1 ? 's' : ''} ${gpu.join(', ')} working` : 'the engine runs on the CPU (no GPU provider is in use; see docs/gpu.md)'}`,
      );
      return 0;
    }
    console.error(`\n${problems.length} problem${problems.length > 1 ? 's' : ''}:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    return 1;
  },
};
