// The only module that touches fluent-ffmpeg (archived upstream): one function that runs an
// ffmpeg command with progress parsing and an AbortSignal that kills the process. If
// fluent-ffmpeg ever has to go, only this file changes.
import ffmpeg from 'fluent-ffmpeg';
import { requireTool } from './ffmpeg-tools';

export interface FfmpegProgress {
  /** frames written to the output so far */
  frame: number;
  /** position in the output, seconds; null when ffmpeg does not know yet */
  outTimeSec: number | null;
}

export interface FfmpegJob {
  input: string;
  inputOptions?: string[];
  output: string;
  outputOptions?: string[];
  signal?: AbortSignal;
  /** called at ffmpeg's own pace (about twice a second), never per frame */
  onProgress?: (p: FfmpegProgress) => void;
}

export class FfmpegRunError extends Error {
  override readonly name = 'FfmpegRunError';
  constructor(
    message: string,
    /** the last lines ffmpeg wrote that were not progress reports: its error messages */
    readonly stderrTail: string[],
    readonly aborted: boolean,
  ) {
    super(message);
  }
}

/** Folds `-progress` key=value lines into reports; other lines are ffmpeg's messages. Pure, table-tested. */
export function createProgressParser(onReport: (p: FfmpegProgress) => void) {
  let frame = 0;
  let outTimeSec: number | null = null;
  return (line: string): boolean => {
    const m = /^([a-z0-9_]+)=\s*(.*)$/.exec(line.trim());
    if (!m) return false;
    const [, key, value] = m;
    if (key === 'frame') frame = Number.parseInt(value!, 10) || 0;
    else if (key === 'out_time_us' || key === 'out_time_ms') {
      // Both keys hold microseconds (out_time_ms is a historical misnomer).
      const us = Number(value);
      outTimeSec = Number.isFinite(us) && us >= 0 ? us / 1e6 : null;
    } else if (key === 'progress') onReport({ frame, outTimeSec });
    return true;
  };
}

/** Runs ffmpeg; resolves on success, rejects with FfmpegRunError (aborted = true after a cancel). */
export function runFfmpeg(job: FfmpegJob): Promise<void> {
  const bin = requireTool('ffmpeg').path;
  return new Promise((resolve, reject) => {
    if (job.signal?.aborted) return reject(new FfmpegRunError('ffmpeg was cancelled before it started', [], true));
    const tail: string[] = [];
    const parse = createProgressParser((p) => job.onProgress?.(p));
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
    cmd.on('stderr', (line: string) => {
      if (!parse(line) && line.trim()) {
        tail.push(line.trim());
        if (tail.length > 20) tail.shift();
      }
    });
    cmd.on('end', () => {
      job.signal?.removeEventListener('abort', kill);
      resolve();
    });
    cmd.on('error', (err: Error) => {
      job.signal?.removeEventListener('abort', kill);
      const aborted = killed || job.signal?.aborted === true;
      reject(new FfmpegRunError(aborted ? 'ffmpeg was cancelled' : `${err.message.split('\n')[0]}${tail.length ? `: ${tail.join(' | ')}` : ''}`, tail, aborted));
    });
    cmd.run();
  });
}
