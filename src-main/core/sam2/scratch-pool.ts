// Reusable float buffers for the graphs' batched inputs. A batch of B objects needs the frame's
// features repeated B times (64–128 MB per input at 16 objects, ~450 MB per tracked frame over the
// three graphs): allocated afresh every frame, each buffer's pages are faulted in and zeroed by the
// kernel before the copy even starts, which cost more than the copy itself. A buffer taken here is
// handed back after the graph run that read it and serves the next call of the same size; the
// pool is emptied when the operation ends (propagation, click) so nothing is held between them.
// Contents of a taken buffer are whatever the last user left: callers overwrite every value.
// batchRows builds one batch input from per-object rows, in place when they already lie back to
// back (no copy at all), else in a pooled buffer.

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

/**
 * Rows of `len` values back to back, as one batch input. Rows that already lie back to back in one
 * buffer (the memory-attention output of one call, in the same order) are used in place; others are
 * copied into a buffer from `take`, returned as `pooled` too (give it back after the run).
 */
export function batchRows(
  rows: readonly Float32Array[],
  len: number,
  take: (n: number) => Float32Array<ArrayBuffer>,
): { data: Float32Array; pooled: Float32Array<ArrayBuffer> | null } {
  const first = rows[0];
  if (!first) throw new Error('batchRows: no rows');
  if (rows.every((r, b) => r.length === len && r.buffer === first.buffer && r.byteOffset === first.byteOffset + b * len * 4)) {
    return { data: rows.length === 1 ? first : new Float32Array(first.buffer, first.byteOffset, rows.length * len), pooled: null };
  }
  const data = take(rows.length * len);
  rows.forEach((r, b) => {
    if (r.length !== len) throw new Error(`batchRows: a row of ${r.length} values, ${len} expected`);
    data.set(r, b * len);
  });
  return { data, pooled: data };
}
