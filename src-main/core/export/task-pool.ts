// Keeps up to `limit` async tasks (PNG compression on libuv's pool, file writes) in flight while
// the export loop prepares the next frame. The first failure is rethrown by the next add/drain.
export class TaskPool {
  private readonly running = new Set<Promise<void>>();
  private failure: unknown = null;

  constructor(private readonly limit: number) {}

  async add(task: () => Promise<void>): Promise<void> {
    this.check();
    while (this.running.size >= this.limit) {
      await Promise.race(this.running);
      this.check();
    }
    const p: Promise<void> = task().then(
      () => void this.running.delete(p),
      (err) => {
        this.running.delete(p);
        this.failure ??= err;
      },
    );
    this.running.add(p);
  }

  /** Waits for everything in flight; rethrows the first failure. */
  async drain(): Promise<void> {
    await Promise.all(this.running);
    this.check();
  }

  /** Waits for everything in flight, ignoring failures (cleanup after an error). */
  async settle(): Promise<void> {
    await Promise.all(this.running);
  }

  private check(): void {
    if (this.failure !== null) throw this.failure;
  }
}
