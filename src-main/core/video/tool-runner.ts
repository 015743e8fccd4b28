// The one place ffmpeg and ffprobe processes are started. Argument lists stay pure per use (the
// callers build them); the runner owns what every use needs the same way: which binary, spawn,
// AbortSignal → SIGKILL, bounded stderr (tool-output.ts), progress parsing, input-path safety,
// and one coded error carrying ffmpeg's last messages. fluent-ffmpeg's runner (ffmpeg.ts) shares
// the same pieces for frame extraction.
import { spawn, type ChildProcess } from 'node:child_process';
import { isAbsolute, resolve } from 'node:path';
import { requireTool, ToolMissingError } from './ffmpeg-tools';
import { VideoError } from './errors';
import { createProgressParser, StderrCollector, type FfmpegProgress } from './tool-output';

export type ToolName = 'ffmpeg' | 'ffprobe';

/** How a process is started (tests wrap it to impose limits or stand in for the encoder). */
export type SpawnFn = (command: string, args: string[]) => ChildProcess;

const defaultSpawn: SpawnFn = (command, args) => spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });

/**
 * ffmpeg reads "name:rest" as a protocol and "-name" as an option; `file:` with an absolute path
 * keeps every file name a plain file. Relative paths are refused: core never resolves a user's
 * path against the process's working directory.
 */
export function ffmpegInputUrl(path: string): string {
  if (!isAbsolute(path)) throw new TypeError(`ffmpeg paths must be absolute, got ${JSON.stringify(path)}`);
  return `file:${resolve(path)}`;
}

/**
 * Every `-i` value must be a `file:` URL (ffmpegInputUrl) or a pipe; anything else is a bug in
 * the caller's argument builder, caught before a process starts. Pure, table-tested.
 */
export function unsafeInputs(args: readonly string[]): string[] {
  const bad: string[] = [];
  args.forEach((a, i) => {
    if (a !== '-i') return;
    const v = args[i + 1];
    if (v === undefined || !/^(file:\/|pipe:\d?$)/.test(v)) bad.push(v ?? '(missing)');
  });
  return bad;
}

export interface ToolExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** the process could not be started at all */
  spawnError?: string;
}

/** A failed or cancelled ffmpeg/ffprobe run: a VideoError whose details carry the stderr tail. */
export class ToolRunError extends VideoError {
  constructor(
    code: 'FFMPEG_FAILED' | 'CANCELLED' | 'FFMPEG_MISSING',
    message: string,
    readonly tool: ToolName,
    readonly stderrTail: string[],
    readonly exit?: ToolExit,
  ) {
    super(code, message, { tool, stderr: stderrTail, ...(exit ? { exitCode: exit.code, signal: exit.signal } : {}) });
  }

  get aborted(): boolean {
    return this.code === 'CANCELLED';
  }
}

export function describeExit(what: string, exit: ToolExit, tail: string[]): string {
  const how = exit.spawnError ? `could not start (${exit.spawnError})` : exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return `${what} ${how}${tail.length ? `: ${tail.slice(-3).join(' | ')}` : ''}`;
}

export interface ToolStartOptions {
  /** what the process does, for messages: "decoding /videos/a.mp4" */
  what: string;
  signal?: AbortSignal;
  /** progress from `-progress pipe:2` (added to the arguments by the runner) */
  onProgress?: (p: FfmpegProgress) => void;
  spawnProcess?: SpawnFn;
}

export interface ToolProcess {
  readonly child: ChildProcess;
  /** settles when the process has exited (never rejects) */
  readonly exit: Promise<ToolExit>;
  readonly stderr: StderrCollector;
  /** true once the process has exited */
  exited(): boolean;
  kill(): void;
  /** the coded error for an exit (CANCELLED after an abort) */
  failure(exit: ToolExit): ToolRunError;
}

export function toolPath(tool: ToolName): string {
  try {
    return requireTool(tool).path;
  } catch (err) {
    if (err instanceof ToolMissingError) throw new ToolRunError('FFMPEG_MISSING', err.message, tool, []);
    throw err;
  }
}

/** Starts a process whose stdin/stdout the caller streams; stderr and cancel are handled here. */
export function startTool(tool: ToolName, args: readonly string[], opts: ToolStartOptions): ToolProcess {
  const bad = unsafeInputs(args);
  if (bad.length) throw new TypeError(`${opts.what}: unsafe ffmpeg input ${bad.map((b) => JSON.stringify(b)).join(', ')} (use ffmpegInputUrl)`);
  if (opts.signal?.aborted) throw new ToolRunError('CANCELLED', `${opts.what} was cancelled`, tool, []);
  const bin = toolPath(tool);
  const progress = opts.onProgress ? createProgressParser(opts.onProgress) : undefined;
  const fullArgs = progress ? ['-progress', 'pipe:2', '-nostats', ...args] : [...args];
  const child = (opts.spawnProcess ?? defaultSpawn)(bin, fullArgs);
  const stderr = new StderrCollector(progress);
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => stderr.write(d));
  let done = false;
  let killed = false;
  const kill = () => {
    killed = true;
    if (!done) child.kill('SIGKILL');
  };
  opts.signal?.addEventListener('abort', kill, { once: true });
  const exit = new Promise<ToolExit>((resolvePromise) => {
    const finish = (e: ToolExit) => {
      if (done) return;
      done = true;
      stderr.end();
      opts.signal?.removeEventListener('abort', kill);
      resolvePromise(e);
    };
    child.once('error', (err) => finish({ code: null, signal: null, spawnError: err.message }));
    child.once('close', (code, signal) => finish({ code, signal }));
  });
  return {
    child,
    exit,
    stderr,
    exited: () => done,
    kill,
    failure: (e) =>
      killed || opts.signal?.aborted
        ? new ToolRunError('CANCELLED', `${opts.what} was cancelled`, tool, stderr.tailLines(), e)
        : new ToolRunError('FFMPEG_FAILED', describeExit(opts.what, e, stderr.tailLines()), tool, stderr.tailLines(), e),
  };
}

export interface ToolRunOptions extends ToolStartOptions {
  /** collect stdout (default) or discard it */
  stdout?: 'collect' | 'ignore';
  /** a process printing more than this is killed and reported (default 64 MiB) */
  maxStdoutBytes?: number;
}

export interface ToolResult {
  stdout: Buffer;
  /** the first bytes of stderr (ffmpeg's stream report) */
  stderrHead: string;
}

/** Runs a process to its end: resolves with its output on exit 0, rejects with a ToolRunError. */
export async function runTool(tool: ToolName, args: readonly string[], opts: ToolRunOptions): Promise<ToolResult> {
  const p = startTool(tool, args, opts);
  p.child.stdin?.end();
  const limit = opts.maxStdoutBytes ?? 64 << 20;
  const chunks: Buffer[] = [];
  let size = 0;
  let overflow = false;
  p.child.stdout?.on('data', (d: Buffer) => {
    if (opts.stdout === 'ignore' || overflow) return;
    size += d.length;
    if (size > limit) {
      overflow = true;
      chunks.length = 0;
      p.child.kill('SIGKILL');
      return;
    }
    chunks.push(d);
  });
  const exit = await p.exit;
  if (overflow) throw new ToolRunError('FFMPEG_FAILED', `${opts.what}: ${tool} printed more than ${limit} bytes`, tool, p.stderr.tailLines(), exit);
  if (exit.code !== 0 || opts.signal?.aborted) throw p.failure(exit);
  return { stdout: Buffer.concat(chunks), stderrHead: p.stderr.headText() };
}
