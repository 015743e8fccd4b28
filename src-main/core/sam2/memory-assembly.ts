// Fills the memory-attention inputs of a batch of objects that share one memory layout
// (same number of spatial memories and pointers), per spec 7.4 and edgetam-notes.md section 5:
//   memory[(m·T + n)·D + c] = feat_m[n·D + c]            (stored token-major, T tokens per memory)
//   memory_pos[(m·T + n)·D + c] = posEnc[n·D + c] + tpos[row_m·D + c]  (precomputed per row)
//   pointer i, sub-token j: memory[(S + k·i + j)·D + c] = ptr_i[j·D + c], pos = posProj(rel_i)
// with k = C / D tokens per pointer and S = T·Nmem. T is h·w for SAM 2.1 and the perceiver's
// latent count for EdgeTAM; the graph derives its key rotary layout from M, P and T.
import { fromBf16Bits } from './bf16';

/**
 * One stored memory, token-major [T, D]: bf16 bit patterns when the pack rounds memories to
 * bfloat16 (memory_bf16, SAM 2.1), float32 as the graph returned them otherwise (EdgeTAM).
 */
export type StoredMemory = Uint16Array | Float32Array;

export interface ObjectMemory {
  spatial: { feats: StoredMemory; row: number }[];
  pointers: { ptr: Float32Array; pos: Float32Array }[];
}

export interface MemoryLayout {
  /** T: tokens of one stored memory */
  tokensPerMemory: number;
  memDim: number;
  hiddenDim: number;
  /** memory position encoding plus temporal row, token-major [T·D], one per row */
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
  for (const o of objs)
    if (layoutKey(o) !== key) throw new Error(`assembleMemory: objects with different memory layouts (${key} vs ${layoutKey(o)}) cannot share a batch`);
  const { tokensPerMemory: T, memDim: D, hiddenDim: C } = L;
  const perPtr = C / D;
  const spatialTokens = T * first.spatial.length;
  const numPointerTokens = perPtr * first.pointers.length;
  const M = spatialTokens + numPointerTokens;
  const memory = new Float32Array(objs.length * M * D);
  const memoryPos = new Float32Array(objs.length * M * D);
  objs.forEach((o, b) => {
    const base = b * M * D;
    o.spatial.forEach((s, m) => {
      if (s.feats.length !== T * D) throw new Error(`assembleMemory: a stored memory has ${s.feats.length} values, the layout needs ${T}×${D}`);
      if (s.feats instanceof Uint16Array) fromBf16Bits(s.feats, memory, base + m * T * D);
      else memory.set(s.feats, base + m * T * D);
      const pos = L.posByRow[s.row];
      if (!pos) throw new Error(`assembleMemory: no temporal row ${s.row}`);
      memoryPos.set(pos, base + m * T * D);
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

/** Side of the tiles toTokens transposes by (32 × 32 floats: 4 KiB read, 4 KiB written per tile). */
const TILE = 32;

/**
 * [C, hw] plane-major features → [hw, C] tokens (the queries' layout). Transposed tile by tile:
 * going down whole planes writes one value per cache line of the output (stride C), which cost
 * ~1.5× more on the 256 × 4096 features of every tracked frame.
 */
export function toTokens(planes: Float32Array, channels: number, hw: number, out = new Float32Array(channels * hw), outOffset = 0): Float32Array {
  for (let c0 = 0; c0 < channels; c0 += TILE) {
    const c1 = Math.min(c0 + TILE, channels);
    for (let n0 = 0; n0 < hw; n0 += TILE) {
      const n1 = Math.min(n0 + TILE, hw);
      for (let c = c0; c < c1; c++) {
        const src = c * hw;
        for (let n = n0; n < n1; n++) out[outOffset + n * channels + c] = planes[src + n]!;
      }
    }
  }
  return out;
}

/** Per temporal row: fround(posEnc + tpos[row]) for the T tokens of a token-major [T, D] encoding. */
export function positionsByRow(posTokens: Float32Array, tpos: Float32Array, memDim: number, tokens: number, rows: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let r = 0; r < rows; r++) {
    const a = new Float32Array(tokens * memDim);
    for (let n = 0; n < tokens; n++) for (let c = 0; c < memDim; c++) a[n * memDim + c] = Math.fround(posTokens[n * memDim + c]! + tpos[r * memDim + c]!);
    out.push(a);
  }
  return out;
}
