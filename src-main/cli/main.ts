// Entry of `npx maskline <command>` (launched by resources/bin/maskline.mjs).
import { parseFlags, usage, UsageError } from './args';
import type { CliCommand } from './command';
import { trackCommand } from './commands/track';
import { exportCommand } from './commands/export';
import { runCommand } from './commands/run';
import { segmentAllCommand } from './commands/segment-all';
import { benchCommand } from './commands/bench';
import { clipCommand } from './commands/clip';
import { labelCommand } from './commands/label';
import { importCommand } from './commands/import';
import { doctorCommand } from './commands/doctor';

const commands: CliCommand[] = [trackCommand, exportCommand, importCommand, runCommand, segmentAllCommand, benchCommand, clipCommand, labelCommand, doctorCommand];

function help(): string {
  return ['usage: maskline <command> [flags]', '', ...commands.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`), '', 'maskline <command> --help for its flags'].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    console.log(help());
    return name ? 0 : 2;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    console.error(`maskline: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help')) {
    console.log(usage(cmd.name, cmd.summary, cmd.flags));
    return 0;
  }
  try {
    return await cmd.run(parseFlags(rest, cmd.flags));
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`maskline ${cmd.name}: ${err.message}\n\n${usage(cmd.name, cmd.summary, cmd.flags)}`);
      return 2;
    }
    console.error(`maskline ${cmd.name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
