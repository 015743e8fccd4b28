// Minimal flag parser for `maskline <command> [--flag value] [--switch]`.
// Flags are declared per command so a typo is an error, not a silently ignored option.
// Path flags are made absolute here, against the shell's working directory the user typed them
// in: the core modules below take absolute paths only.
import { resolve } from 'node:path';

export interface FlagSpec {
  /** switches take no value; paths are resolved against the working directory of the command */
  type: 'string' | 'path' | 'number' | 'switch';
  required?: boolean;
  help: string;
}

export type ParsedFlags = Record<string, string | number | boolean | undefined>;

export class UsageError extends Error {}

export function parseFlags(argv: string[], spec: Record<string, FlagSpec>): ParsedFlags {
  const out: ParsedFlags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument: ${arg}`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    const s = spec[name];
    if (!s) throw new UsageError(`unknown flag --${name}`);
    if (s.type === 'switch') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      out[name] = true;
      continue;
    }
    const raw = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined) throw new UsageError(`--${name} needs a value`);
    if (s.type === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got ${raw}`);
      out[name] = n;
    } else if (s.type === 'path') {
      if (raw === '') throw new UsageError(`--${name} needs a path`);
      out[name] = resolve(raw);
    } else {
      out[name] = raw;
    }
  }
  for (const [name, s] of Object.entries(spec)) {
    if (s.required && out[name] === undefined) throw new UsageError(`missing --${name}`);
  }
  return out;
}

export function usage(command: string, summary: string, spec: Record<string, FlagSpec>): string {
  const lines = Object.entries(spec).map(([name, s]) => {
    const v = s.type === 'switch' ? '' : s.type === 'number' ? ' N' : s.type === 'path' ? ' PATH' : ' VALUE';
    return `  --${name}${v}${s.required ? '' : ' (optional)'}\n      ${s.help}`;
  });
  return `maskline ${command}: ${summary}\n${lines.join('\n')}`;
}
