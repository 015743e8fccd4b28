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
import { workerCommand } from './commands/worker';
import { batchCommand } from './commands/batch';

const commands: CliCommand[] = [
  trackCommand,
  exportCommand,
  importCommand,
  runCommand,
  segmentAllCommand,
  benchCommand,
  clipCommand,
  labelCommand,
  doctorCommand,
  workerCommand,
  batchCommand,
];

function help(): string {
  return [
    'usage: maskline <command> [flags]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`),
    '',
    'maskline <command> --help for its flags',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    console.log(help());
    return name ? 0 : 2;
  }
  const top = commands.find((c) => c.name === name);
  if (!top) {
    console.error(`maskline: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  let cmd = top;
  if (top.subcommands) {
    const sub = top.subcommands.find((c) => c.name === rest[0]);
    const list = top.subcommands.map((c) => `  ${top.name} ${c.name.padEnd(8)} ${c.summary}`).join('\n');
    if (!sub) {
      console.error(
        `${rest[0] && rest[0] !== '--help' ? `maskline ${top.name}: unknown subcommand "${rest[0]}"\n\n` : ''}usage: maskline ${top.name} <subcommand> [flags]\n${list}`,
      );
      return rest[0] === '--help' ? 0 : 2;
    }
    cmd = { ...sub, name: `${top.name} ${sub.name}` };
    rest.shift();
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
