// Reusable float buffers for the graphs' batched inputs. A batch of B objects needs the frame's
// features repeated B times (64–128 MB per input at 16 objects, ~450 MB per tracked frame over the
// three graphs): allocated afresh every frame, each buffer's pages are faulted in and zeroed by the
// kernel before the copy even starts, which cost more than the copy itself. A buffer taken here is
// handed back after the graph run that read it and serves the next call of the same size; the
// pool is emptied when the operation ends (propagation, click) so nothing is held between them.
// Contents of a taken buffer are whatever the last user left: callers overwrite every value.

export class ScratchPool {
  private readonly free: Float32Array<ArrayBuffer>[] = [];
  /** buffers allocated because none of the size was free (a measure of reuse) */
  allocations = 0;

  /** A buffer of exactly `length` values (contents undefined). */
  take(length: number): Float32Array<ArrayBuffer> {
    const i = this.free.findIndex((a) => a.length === length);
    if (i >= 0) return this.free.splice(i, 1)[0]!;
    this.allocations++;
    return new Float32Array(length);
  }

  /** Hands a buffer back once nothing reads it any more (after the graph run). */
  give(a: Float32Array<ArrayBuffer>): void {
    if (!this.free.includes(a)) this.free.push(a);
  }

  /** bytes held for reuse */
  get bytes(): number {
    return this.free.reduce((s, a) => s + a.byteLength, 0);
  }

  /** Drops every held buffer (end of an operation). */
  clear(): void {
    this.free.length = 0;
  }
}
