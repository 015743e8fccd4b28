// Reader of the clip-micro goldens (../shared/fixtures/clip-micro/golden): golden.json lists every
// array of golden.bin with dtype, shape and byte offset (little-endian).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const CLIP_MICRO = resolve(__dirname, '../../../../shared/fixtures/clip-micro');

interface ArrayEntry {
  name: string;
  dtype: 'uint8' | 'float32' | 'int64';
  shape: number[];
  offset: number;
  nbytes: number;
}

export interface ClipGolden {
  json: {
    labels: string[];
    prompts: string[];
    prompt_template: string;
    images: { index: number; width: number; height: number }[];
    tokenizer: { checks: { text: string; ids: number[] }[] };
    preprocess: { per_image: { resized_hw: [number, number]; crop_top_left: [number, number] }[] };
  };
  u8(name: string): Uint8Array;
  f32(name: string): Float32Array;
  i64(name: string): BigInt64Array;
  shape(name: string): number[];
}

export function loadClipGolden(): ClipGolden {
  const json = JSON.parse(readFileSync(resolve(CLIP_MICRO, 'golden/golden.json'), 'utf8')) as ClipGolden['json'] & { arrays: ArrayEntry[] };
  const bin = readFileSync(resolve(CLIP_MICRO, 'golden/golden.bin'));
  const entry = (name: string): ArrayEntry => {
    const e = json.arrays.find((a) => a.name === name);
    if (!e) throw new Error(`golden has no array ${name}`);
    return e;
  };
  // copy: golden.bin's offsets are not necessarily aligned for typed-array views
  const bytes = (e: ArrayEntry) => new Uint8Array(bin.buffer.slice(bin.byteOffset + e.offset, bin.byteOffset + e.offset + e.nbytes));
  return {
    json,
    u8: (n) => bytes(entry(n)),
    f32: (n) => new Float32Array(bytes(entry(n)).buffer),
    i64: (n) => new BigInt64Array(bytes(entry(n)).buffer),
    shape: (n) => entry(n).shape,
  };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
