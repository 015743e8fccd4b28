// Fills the memory-attention inputs of a batch of objects that share one memory layout
// (same number of spatial memories and pointers), per spec 7.4:
//   memory[(m·hw + n)·D + c] = feat_m[n·D + c]            (stored token-major, bf16 bits)
//   memory_pos[(m·hw + n)·D + c] = posEnc[n·D + c] + tpos[row_m·D + c]  (precomputed per row)
//   pointer i, sub-token j: memory[(S + k·i + j)·D + c] = ptr_i[j·D + c], pos = posProj(rel_i)
// with k = C / D tokens per pointer and S = hw·Nmem.
import { fromBf16Bits } from './bf16';

export interface ObjectMemory {
  spatial: { feats: Uint16Array; row: number }[];
  pointers: { ptr: Float32Array; pos: Float32Array }[];
}

export interface MemoryLayout {
  hw: number;
  memDim: number;
  hiddenDim: number;
  /** memory position encoding plus temporal row, token-major [hw·D], one per row */
  posByRow: Float32Array[];
}

export interface MemoryInputs {
  memory: Float32Array;
  memoryPos: Float32Array;
  /** tokens per object */
  M: number;
  numPointerTokens: number;
}

export function layoutKey(o: ObjectMemory): string {
  return `${o.spatial.length}:${o.pointers.length}`;
}

export function assembleMemory(objs: readonly ObjectMemory[], L: MemoryLayout): MemoryInputs {
  const first = objs[0];
  if (!first) throw new Error('assembleMemory: no objects');
  const key = layoutKey(first);
  for (const o of objs) if (layoutKey(o) !== key) throw new Error(`assembleMemory: objects with different memory layouts (${key} vs ${layoutKey(o)}) cannot share a batch`);
  const { hw, memDim: D, hiddenDim: C } = L;
  const perPtr = C / D;
  const spatialTokens = hw * first.spatial.length;
  const numPointerTokens = perPtr * first.pointers.length;
  const M = spatialTokens + numPointerTokens;
  const memory = new Float32Array(objs.length * M * D);
  const memoryPos = new Float32Array(objs.length * M * D);
  objs.forEach((o, b) => {
    const base = b * M * D;
    o.spatial.forEach((s, m) => {
      fromBf16Bits(s.feats, memory, base + m * hw * D);
      const pos = L.posByRow[s.row];
      if (!pos) throw new Error(`assembleMemory: no temporal row ${s.row}`);
      memoryPos.set(pos, base + m * hw * D);
    });
    o.pointers.forEach((p, i) => {
      for (let j = 0; j < perPtr; j++) {
        const off = base + (spatialTokens + perPtr * i + j) * D;
        memory.set(p.ptr.subarray(j * D, (j + 1) * D), off);
        memoryPos.set(p.pos, off);
      }
    });
  });
  return { memory, memoryPos, M, numPointerTokens };
}

/** [C, hw] plane-major features → [hw, C] tokens (the queries' layout). */
export function toTokens(planes: Float32Array, channels: number, hw: number, out = new Float32Array(channels * hw), outOffset = 0): Float32Array {
  for (let c = 0; c < channels; c++) {
    const src = c * hw;
    for (let n = 0; n < hw; n++) out[outOffset + n * channels + c] = planes[src + n]!;
  }
  return out;
}

/** Per temporal row: fround(posEnc + tpos[row]) in token-major layout. */
export function positionsByRow(posEncPlanes: Float32Array, tpos: Float32Array, memDim: number, hw: number, rows: number): Float32Array[] {
  const tokens = toTokens(posEncPlanes, memDim, hw);
  const out: Float32Array[] = [];
  for (let r = 0; r < rows; r++) {
    const a = new Float32Array(hw * memDim);
    for (let n = 0; n < hw; n++) for (let c = 0; c < memDim; c++) a[n * memDim + c] = Math.fround(tokens[n * memDim + c]! + tpos[r * memDim + c]!);
    out.push(a);
  }
  return out;
}
