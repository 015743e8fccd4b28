// `--memory lean` on glibc: the fixed mmap threshold lean needs (core/sam2/memory-mode.ts,
// GLIBC_MMAP_TUNABLE) can only be set by the environment a process starts with, so the command
// starts itself again once with GLIBC_TUNABLES extended, passing its stdio, signals and exit code
// through. Only for an explicit lean: `auto` resolves after the engine has opened the pack, and
// then prints the advice instead (mallocAdvice).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fixesMmapThreshold, GLIBC_MMAP_TUNABLE, type MemoryChoice } from '../core/sam2/memory-mode';

/** Set in the relaunched process, so that it never relaunches again. */
export const RELAUNCHED_ENV = 'MASKLINE_GLIBC_RELAUNCHED';

/**
 * The GLIBC_TUNABLES value to relaunch with, or null to go on in this process: Linux with glibc,
 * lean asked for, not relaunched already, and no mmap threshold of the user's own (kept as set).
 */
export function glibcRelaunchTunables(
  platform: string,
  glibc: boolean,
  memory: MemoryChoice,
  env: Readonly<Record<string, string | undefined>>,
): string | null {
  if (platform !== 'linux' || !glibc || memory !== 'lean' || env[RELAUNCHED_ENV]) return null;
  const current = env.GLIBC_TUNABLES ?? '';
  if (fixesMmapThreshold(current)) return null;
  // tunables are colon-separated: the user's others stay
  return current ? `${current}:${GLIBC_MMAP_TUNABLE}` : GLIBC_MMAP_TUNABLE;
}

/** Whether this process runs on glibc (musl and other C libraries have no such tunable). */
export function runsOnGlibc(): boolean {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return typeof header?.glibcVersionRuntime === 'string';
}

/** Runs this same command line again with GLIBC_TUNABLES set; resolves to its exit code. */
export function relaunchWithTunables(tunables: string): Promise<number> {
  console.error(
    `maskline: lean memory: starting again with GLIBC_TUNABLES=${tunables} — a lower peak, slower runs; set your own glibc.malloc.mmap_threshold to keep glibc's (docs/engine.md, "Memory modes")`,
  );
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, GLIBC_TUNABLES: tunables, [RELAUNCHED_ENV]: '1' },
  });
  // a signal sent to this process is passed on; Ctrl-C at a terminal reaches the child twice (its
  // process group, then this forward): the commands that relaunch treat a repeated SIGINT as one
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((sig) => [sig, forward(sig)] as const);
  for (const [sig, h] of handlers) process.on(sig, h);
  return new Promise((resolve) => {
    const done = (code: number) => {
      for (const [sig, h] of handlers) process.off(sig, h);
      resolve(code);
    };
    child.once('error', (e) => {
      console.error(`maskline: could not start again with GLIBC_TUNABLES (${e.message})`);
      done(1);
    });
    // a child ended by a signal exits as a shell would report it
    child.once('exit', (code, signal) => done(code ?? (signal ? 128 + constants.signals[signal] : 1)));
  });
}

/** The relaunch for a command that opens the engine: its exit code, or null to go on in this process. */
export function relaunchForLean(memory: MemoryChoice): Promise<number> | null {
  const tunables = glibcRelaunchTunables(process.platform, runsOnGlibc(), memory, process.env);
  return tunables === null ? null : relaunchWithTunables(tunables);
}
