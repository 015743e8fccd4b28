// The only module that touches fluent-ffmpeg (archived upstream): frame extraction runs through
// it for its command building and progress events. It shares the runner's pieces (input-path
// safety, bounded stderr, the progress parser, ToolRunError) so it fails and cancels exactly like
// every other ffmpeg use (tool-runner.ts). If fluent-ffmpeg ever has to go, only this file changes.
import ffmpeg from 'fluent-ffmpeg';
import { createProgressParser, StderrCollector, type FfmpegProgress } from './tool-output';
import { describeExit, toolPath, ToolRunError, unsafeInputs } from './tool-runner';

export type { FfmpegProgress } from './tool-output';

export interface FfmpegJob {
  /** a `file:` URL (ffmpegInputUrl) */
  input: string;
  inputOptions?: string[];
  output: string;
  outputOptions?: string[];
  signal?: AbortSignal;
  /** what the run does, for messages (default "ffmpeg") */
  what?: string;
  /** called at ffmpeg's own pace (about twice a second), never per frame */
  onProgress?: (p: FfmpegProgress) => void;
}

/** Runs ffmpeg; resolves on success, rejects with a ToolRunError (code CANCELLED after a cancel). */
export function runFfmpeg(job: FfmpegJob): Promise<void> {
  const what = job.what ?? 'ffmpeg';
  const bad = unsafeInputs(['-i', job.input]);
  if (bad.length) throw new TypeError(`${what}: unsafe ffmpeg input ${JSON.stringify(job.input)} (use ffmpegInputUrl)`);
  const bin = toolPath('ffmpeg');
  return new Promise((resolve, reject) => {
    if (job.signal?.aborted) return reject(new ToolRunError('CANCELLED', `${what} was cancelled before it started`, 'ffmpeg', []));
    const stderr = new StderrCollector(createProgressParser((p) => job.onProgress?.(p)));
    const cmd = ffmpeg({ stdoutLines: 20 })
      .setFfmpegPath(bin)
      .input(job.input)
      // -progress to stderr: machine-readable frame counts; -nostdin: ffmpeg must not read our stdin.
      .inputOptions(['-hide_banner', '-nostdin', '-loglevel', 'error', '-nostats', '-progress', 'pipe:2', ...(job.inputOptions ?? [])])
      .output(job.output)
      .outputOptions(job.outputOptions ?? []);

    let killed = false;
    const kill = () => {
      killed = true;
      cmd.kill('SIGKILL');
    };
    job.signal?.addEventListener('abort', kill, { once: true });
    // The process is spawned after fluent-ffmpeg's own checks: an abort in between kills it here.
    cmd.on('start', () => {
      if (job.signal?.aborted) kill();
    });
    cmd.on('stderr', (line: string) => stderr.line(line));
    cmd.on('end', () => {
      job.signal?.removeEventListener('abort', kill);
      resolve();
    });
    cmd.on('error', (err: Error) => {
      job.signal?.removeEventListener('abort', kill);
      const tail = stderr.tailLines();
      if (killed || job.signal?.aborted) return reject(new ToolRunError('CANCELLED', `${what} was cancelled`, 'ffmpeg', tail));
      // fluent-ffmpeg reports the exit as "ffmpeg exited with code N: …" or "… was killed with signal S"
      const code = /exited with code (\d+)/.exec(err.message);
      const signal = /killed with signal (\w+)/.exec(err.message);
      const exit = {
        code: code ? Number(code[1]) : null,
        signal: (signal?.[1] ?? null) as NodeJS.Signals | null,
        ...(code || signal ? {} : { spawnError: err.message.split('\n')[0] }),
      };
      reject(new ToolRunError('FFMPEG_FAILED', describeExit(what, exit, tail), 'ffmpeg', tail, exit));
    });
    cmd.run();
  });
}
