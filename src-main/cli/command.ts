import type { FlagSpec, ParsedFlags } from './args';

/** One `maskline <name>` command. `run` returns the process exit code. */
export interface CliCommand {
  name: string;
  summary: string;
  flags: Record<string, FlagSpec>;
  run(flags: ParsedFlags): Promise<number>;
  /** `maskline <name> <sub> [flags]`: the first argument picks one of these */
  subcommands?: CliCommand[];
}
