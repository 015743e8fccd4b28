// Compact binary form of an RLE for SQLite blobs: a version byte, then LEB128 varints of
// h, w, the number of runs and each run. Most runs of a real mask are < 128 or < 16384
// pixels, so a run costs 1–2 bytes instead of the 8+ of JSON text.
import type { Rle } from '../../api/contract';
import { RleError, validateRle } from '../../shared/rle-validate';
import { readVarint, writeVarint } from './varint';

export const RLE_BLOB_VERSION = 1;

export function packRle(rle: Rle): Buffer {
  validateRle(rle);
  // 5 bytes hold any 32-bit varint; runs are ≤ h × w < 2^32 for any sane frame.
  const buf = Buffer.allocUnsafe(1 + 5 * (3 + rle.counts.length));
  let p = 0;
  buf[p++] = RLE_BLOB_VERSION;
  p = writeVarint(buf, p, rle.h);
  p = writeVarint(buf, p, rle.w);
  p = writeVarint(buf, p, rle.counts.length);
  const counts = rle.counts;
  for (let k = 0; k < counts.length; k++) p = writeVarint(buf, p, counts[k]!);
  return buf.subarray(0, p);
}

export function unpackRle(blob: Uint8Array): Rle {
  if (blob.length < 4) throw new RleError(`mask blob is ${blob.length} bytes, too short to hold a mask`);
  if (blob[0] !== RLE_BLOB_VERSION) throw new RleError(`mask blob has version ${blob[0]}, this app reads version ${RLE_BLOB_VERSION}`);
  const cursor = { p: 1 };
  const h = readVarint(blob, cursor, 6, blobNumberError);
  const w = readVarint(blob, cursor, 6, blobNumberError);
  const n = readVarint(blob, cursor, 6, blobNumberError);
  // Each run takes at least one byte, which bounds n before allocating.
  if (n > blob.length - cursor.p) throw new RleError(`mask blob claims ${n} runs but has only ${blob.length - cursor.p} bytes left`);
  const counts = new Array<number>(n);
  for (let k = 0; k < n; k++) counts[k] = readVarint(blob, cursor, 6, blobNumberError);
  if (cursor.p !== blob.length) throw new RleError(`mask blob has ${blob.length - cursor.p} unexpected trailing bytes`);
  const rle = { h, w, counts };
  validateRle(rle);
  return rle;
}

function blobNumberError(why: 'truncated' | 'too long'): never {
  throw new RleError(why === 'truncated' ? 'mask blob ends in the middle of a number' : 'mask blob holds a number longer than 6 bytes');
}
