// Binary forms of the engine state kept next to each mask (see core/sam2/output-snapshot):
// float32 arrays as little-endian bytes, and the low-res mask summary as a version byte, the
// mean logits inside/outside (float32) and LEB128 varints of its runs. Pure, table-tested.
import { readVarint, writeVarint } from '../masks/varint';
import { StoreError } from './errors';

export interface LowResSummary {
  /** run lengths over the low-res mask, alternating background/foreground, starting with background */
  runs: Uint32Array;
  fgMean: number;
  bgMean: number;
}

/** What the engine needs to restore one output besides the mask row itself. */
export interface MaskEngineState {
  /** object pointer [C] */
  objPtr: Float32Array;
  summary: LowResSummary;
  /** binarize flag its memory is encoded with (true for prompt outputs) */
  memFromPrompt: boolean;
  /** the direction propagation last visited the frame in */
  tracked: 'forward' | 'reverse' | null;
  iou: number;
}

const SUMMARY_VERSION = 1;
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A copy of the array's bytes (little-endian) for a BLOB. */
export function packFloats(a: Float32Array): Buffer {
  if (!LE) throw new StoreError('INVALID_ARGUMENT', 'big-endian machines are not supported for engine state');
  return Buffer.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

export function unpackFloats(b: Uint8Array, what: string): Float32Array {
  if (b.length % 4 !== 0) throw new StoreError('NOT_A_DATABASE', `${what} blob has ${b.length} bytes, not a whole number of float32 values`);
  const out = new Float32Array(b.length / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

export function packSummary(s: LowResSummary): Buffer {
  const buf = Buffer.allocUnsafe(1 + 8 + 5 * (1 + s.runs.length));
  let p = 0;
  buf[p++] = SUMMARY_VERSION;
  buf.writeFloatLE(s.fgMean, p);
  buf.writeFloatLE(s.bgMean, p + 4);
  p += 8;
  p = writeVarint(buf, p, s.runs.length);
  for (let i = 0; i < s.runs.length; i++) p = writeVarint(buf, p, s.runs[i]!);
  return buf.subarray(0, p);
}

export function unpackSummary(b: Uint8Array): LowResSummary {
  const bad = (why: string): never => {
    throw new StoreError('NOT_A_DATABASE', `low-res summary blob ${why}`);
  };
  if (b.length < 10) bad(`is ${b.length} bytes, too short`);
  if (b[0] !== SUMMARY_VERSION) bad(`has version ${b[0]}, this app reads version ${SUMMARY_VERSION}`);
  const view = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const fgMean = view.readFloatLE(1);
  const bgMean = view.readFloatLE(5);
  const c = { p: 9 };
  const numberBad = (why: 'truncated' | 'too long') => bad(why === 'truncated' ? 'ends inside a number' : 'has a number longer than 5 bytes');
  const n = readVarint(view, c, 5, numberBad);
  if (n > b.length - c.p) bad(`claims ${n} runs but has ${b.length - c.p} bytes left`);
  const runs = new Uint32Array(n);
  for (let i = 0; i < n; i++) runs[i] = readVarint(view, c, 5, numberBad);
  if (c.p !== b.length) bad(`has ${b.length - c.p} trailing bytes`);
  return { runs, fgMean, bgMean };
}

/** engine_flags: bit 0 memory from prompt, bit 1 tracked, bit 2 tracked in reverse. */
export function packFlags(s: Pick<MaskEngineState, 'memFromPrompt' | 'tracked'>): number {
  return (s.memFromPrompt ? 1 : 0) | (s.tracked ? 2 : 0) | (s.tracked === 'reverse' ? 4 : 0);
}

export function unpackFlags(f: number): Pick<MaskEngineState, 'memFromPrompt' | 'tracked'> {
  return { memFromPrompt: (f & 1) !== 0, tracked: f & 2 ? (f & 4 ? 'reverse' : 'forward') : null };
}
