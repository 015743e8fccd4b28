// Bounded memory for stored outputs. The reference keeps every frame's memory features (512 KB
// at 1024 input) and logits (256 KB) forever; here conditioning and not-yet-merged outputs keep
// them always, every frame keeps its pointer, score and run-length mask, and the big parts of
// non-conditioning outputs live in an LRU with a byte budget. Outputs the running propagation
// can still select are protected from eviction. An evicted output is recomputed on demand
// (predictor: memory encoder on the frame's features and its logits or run-length substitute).
import type { FrameOut } from './object-state';

export function bigBytes(o: FrameOut): number {
  return (o.predMasks?.byteLength ?? 0) + (o.maskmem?.byteLength ?? 0);
}

export class OutputLru {
  private readonly order = new Map<FrameOut, number>();
  private used = 0;
  evictions = 0;

  constructor(public budgetBytes: number) {}

  get bytes(): number {
    return this.used;
  }

  /** Starts tracking (or refreshes) an output whose big parts may be evicted. */
  touch(o: FrameOut): void {
    const old = this.order.get(o);
    if (old !== undefined) {
      this.used -= old;
      this.order.delete(o);
    }
    const b = bigBytes(o);
    this.order.set(o, b);
    this.used += b;
  }

  /** Stops tracking an output (it became a conditioning output, or was dropped). */
  forget(o: FrameOut): void {
    const old = this.order.get(o);
    if (old === undefined) return;
    this.used -= old;
    this.order.delete(o);
  }

  /** Evicts least recently used big parts until within budget, skipping protected outputs. */
  enforce(protect: ReadonlySet<FrameOut> = new Set()): void {
    if (this.used <= this.budgetBytes) return;
    for (const [o, b] of this.order) {
      if (this.used <= this.budgetBytes) break;
      if (protect.has(o)) continue;
      o.predMasks = null;
      o.maskmem = null;
      this.order.delete(o);
      this.used -= b;
      this.evictions++;
    }
  }

  clear(): void {
    this.order.clear();
    this.used = 0;
  }
}
