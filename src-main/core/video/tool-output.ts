// What an ffmpeg/ffprobe process writes on stderr, read one way for every caller: lines are
// split as they arrive, progress lines go to their parser, the first bytes are kept for
// callers that read ffmpeg's stream report, and only the last few message lines are kept for
// the error. Bounded whatever the process writes, so a chatty decoder cannot grow memory.

export interface FfmpegProgress {
  /** frames written to the output so far */
  frame: number;
  /** position in the output, seconds; null when ffmpeg does not know yet */
  outTimeSec: number | null;
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

export interface StderrLimits {
  /** bytes kept from the start of stderr (ffmpeg's input/output stream report) */
  headBytes: number;
  /** message lines kept from the end, for the error */
  tailLines: number;
  /** characters kept of one line */
  lineChars: number;
}

export const STDERR_LIMITS: StderrLimits = { headBytes: 256 << 10, tailLines: 20, lineChars: 500 };

export class StderrCollector {
  private head = '';
  private partial = '';
  private readonly tail: string[] = [];

  constructor(
    /** returns true when the line was consumed (a progress report) and is not a message */
    private readonly consume: (line: string) => boolean = () => false,
    private readonly limits: StderrLimits = STDERR_LIMITS,
  ) {}

  /** Feed raw text as it arrives (chunks may split lines anywhere). */
  write(text: string): void {
    if (this.head.length < this.limits.headBytes) this.head += text.slice(0, this.limits.headBytes - this.head.length);
    const lines = (this.partial + text).split(/\r?\n|\r/);
    this.partial = lines.pop() ?? '';
    // an endless line without a break (garbage on stderr) is cut here rather than kept growing
    if (this.partial.length > this.limits.lineChars * 4) this.partial = this.partial.slice(-this.limits.lineChars);
    for (const line of lines) this.line(line);
  }

  /** Feed one complete line (fluent-ffmpeg hands out lines already split). */
  line(raw: string): void {
    if (this.consume(raw)) return;
    const line = raw.trim();
    if (!line) return;
    this.tail.push(line.length > this.limits.lineChars ? `${line.slice(0, this.limits.lineChars)}…` : line);
    if (this.tail.length > this.limits.tailLines) this.tail.shift();
  }

  /** Flush a last line that had no line break. */
  end(): void {
    if (this.partial) this.line(this.partial);
    this.partial = '';
  }

  headText(): string {
    return this.head;
  }

  tailLines(): string[] {
    return [...this.tail];
  }
}
