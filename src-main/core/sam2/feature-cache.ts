// Image-encoder features per frame, kept in an LRU bounded by bytes: clicks, propagation and
// automatic mask generation all reuse a frame's features instead of re-running the encoder.
// The most recently added frame is always kept, even when it alone exceeds the budget.

export interface FrameFeatures {
  /** [C/8, 4h, 4w] */
  featS0: Float32Array;
  /** [C/4, 2h, 2w] */
  featS1: Float32Array;
  /** [C, h, w] raw (no memory, no no-memory embedding) */
  visionFeat: Float32Array;
}

export function featureBytes(f: FrameFeatures): number {
  return f.featS0.byteLength + f.featS1.byteLength + f.visionFeat.byteLength;
}

export class FeatureCache {
  private readonly entries = new Map<number, FrameFeatures>();
  private used = 0;
  hits = 0;
  misses = 0;

  constructor(private budgetBytes: number) {}

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  get budget(): number {
    return this.budgetBytes;
  }

  setBudget(bytes: number): void {
    this.budgetBytes = bytes;
    this.evict();
  }

  has(frame: number): boolean {
    return this.entries.has(frame);
  }

  /** Looks a frame up and marks it most recently used. */
  get(frame: number): FrameFeatures | undefined {
    const f = this.entries.get(frame);
    if (!f) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(frame);
    this.entries.set(frame, f);
    return f;
  }

  set(frame: number, f: FrameFeatures): void {
    const old = this.entries.get(frame);
    if (old) {
      this.used -= featureBytes(old);
      this.entries.delete(frame);
    }
    this.entries.set(frame, f);
    this.used += featureBytes(f);
    this.evict();
  }

  frames(): number[] {
    return [...this.entries.keys()];
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }

  private evict(): void {
    while (this.used > this.budgetBytes && this.entries.size > 1) {
      const [frame, f] = this.entries.entries().next().value as [number, FrameFeatures];
      this.entries.delete(frame);
      this.used -= featureBytes(f);
    }
  }
}
