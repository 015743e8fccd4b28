// Unsigned LEB128 varints (7 bits per byte, high bit = more follows): the compact integer
// encoding of our SQLite blobs (mask run lengths, low-res summaries). Values up to 2^42 fit in
// 6 bytes; callers bound the length they accept and say what is wrong in their own words.

/** Writes `v` at `p` (the buffer must have room: at most 6 bytes); returns the next position. */
export function writeVarint(buf: Uint8Array, p: number, v: number): number {
  while (v >= 0x80) {
    buf[p++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[p++] = v;
  return p;
}

/**
 * Reads one varint at `cursor.p` (advancing it). `bad` is called — and must throw — when the
 * buffer ends inside the number or it is longer than `maxBytes`.
 */
export function readVarint(buf: Uint8Array, cursor: { p: number }, maxBytes: number, bad: (why: 'truncated' | 'too long') => never): number {
  let v = 0;
  let scale = 1;
  for (let i = 0; i < maxBytes; i++) {
    if (cursor.p >= buf.length) return bad('truncated');
    const byte = buf[cursor.p++]!;
    v += (byte & 0x7f) * scale;
    if (byte < 0x80) return v;
    scale *= 128;
  }
  return bad('too long');
}
