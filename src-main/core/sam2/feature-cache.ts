// Image-encoder features per frame, kept in an LRU bounded by bytes: clicks, propagation,
// automatic mask generation and pre-encoding all reuse a frame's features instead of re-running
// the encoder. What may be evicted is decided by `evictionsFor` (preencode-plan.ts) over each
// frame's class: a background insert (pre-encoding) only displaces `plain` frames and is refused
// rather than exceed the budget; a foreground insert is always kept, even when it alone exceeds
// the budget.
import { evictionsFor, type FeatureClass } from './preencode-plan';

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
  /** background inserts refused because only pinned or window frames could have made room */
  refused = 0;
  /** highest byte count ever held (tests: the budget is never exceeded) */
  peak = 0;
  /** each frame's class; the owner (Sam2Core) knows the conditioning frames, the window and the propagation */
  classify: (frame: number) => FeatureClass = () => 'plain';

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
    this.evictFor(0, false);
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

  /** Whether a background insert of `bytes` would be admitted now (checked before running the encoder). */
  admits(bytes: number): boolean {
    return evictionsFor(this.list(), bytes, this.budgetBytes, true) !== null;
  }

  /** Stores a frame's features; a background insert that does not fit is dropped (returns false). */
  set(frame: number, f: FrameFeatures, background = false): boolean {
    const old = this.entries.get(frame);
    if (old) {
      this.used -= featureBytes(old);
      this.entries.delete(frame);
    }
    const bytes = featureBytes(f);
    if (!this.evictFor(bytes, background)) {
      this.refused++;
      return false;
    }
    this.entries.set(frame, f);
    this.used += bytes;
    this.peak = Math.max(this.peak, this.used);
    return true;
  }

  /** Moves a frame to the least recently used end: the first to go when room is needed. */
  demote(frame: number): void {
    const f = this.entries.get(frame);
    if (!f) return;
    const rest = [...this.entries].filter(([k]) => k !== frame);
    this.entries.clear();
    this.entries.set(frame, f);
    for (const [k, v] of rest) this.entries.set(k, v);
  }

  /** Drops a frame's features. */
  delete(frame: number): void {
    const f = this.entries.get(frame);
    if (!f) return;
    this.entries.delete(frame);
    this.used -= featureBytes(f);
  }

  frames(): number[] {
    return [...this.entries.keys()];
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }

  private list() {
    return [...this.entries].map(([frame, f]) => ({ frame, bytes: featureBytes(f), cls: this.classify(frame) }));
  }

  private evictFor(bytes: number, background: boolean): boolean {
    if (this.used + bytes <= this.budgetBytes) return true;
    const victims = evictionsFor(this.list(), bytes, this.budgetBytes, background);
    if (!victims) return false;
    for (const v of victims) this.delete(v);
    return true;
  }
}
