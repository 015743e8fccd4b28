// Transfer rate over a sliding window, so a resumed prefix or a stall does not distort the number
// the progress bar shows.

export class RateMeter {
  private samples: { t: number; bytes: number }[] = [];

  constructor(
    private readonly windowMs = 3000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Records the running byte count; returns bytes per second over the window, or null until measurable. */
  sample(bytes: number): number | null {
    const t = this.now();
    this.samples.push({ t, bytes });
    while (this.samples.length > 2 && t - this.samples[1]!.t >= this.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    const dt = t - first.t;
    if (dt < 200) return null;
    return ((bytes - first.bytes) * 1000) / dt;
  }

  /** Forget history (e.g. after a restart from byte 0). */
  reset(): void {
    this.samples = [];
  }
}
