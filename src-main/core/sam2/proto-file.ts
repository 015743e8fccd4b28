// Protobuf fields of a file read by position, never the whole file: a pack's graph with embedded
// weights is hundreds of MB, and the attention rewrite (fuse-attention.ts) needs only its
// structure — where each field lies — to refer to the weights where they already are.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** [field, wire type, a, b, start of the field's key]: for varints a is the value; otherwise [a, b) is the payload's byte range. */
export type FileField = [number, number, number, number, number];

export class ProtoFile {
  readonly length: number;
  private readonly fd: number;
  private readonly cache = Buffer.alloc(1 << 16);
  private cacheStart = 0;
  private cacheEnd = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    this.length = fstatSync(this.fd).size;
  }

  close(): void {
    closeSync(this.fd);
  }

  /** The bytes [a, b) of the file. */
  bytes(a: number, b: number): Uint8Array {
    const out = Buffer.alloc(b - a);
    for (let done = 0; done < out.length;) {
      const n = readSync(this.fd, out, done, out.length - done, a + done);
      if (n === 0) throw new Error('truncated file');
      done += n;
    }
    return out;
  }

  private byteAt(pos: number): number {
    if (pos < this.cacheStart || pos >= this.cacheEnd) {
      const n = readSync(this.fd, this.cache, 0, this.cache.length, pos);
      if (n === 0) throw new Error('truncated field');
      this.cacheStart = pos;
      this.cacheEnd = pos + n;
    }
    return this.cache[pos - this.cacheStart]!;
  }

  /** The fields of the message at [start, end), fixed-size ones included. */
  *fields(start: number, end: number): Generator<FileField> {
    let pos = start;
    const varint = (): number => {
      let result = 0;
      let mul = 1;
      for (;;) {
        if (pos >= end) throw new Error('truncated varint');
        const b = this.byteAt(pos++);
        result += (b & 127) * mul;
        if (b < 128) return result;
        mul *= 128;
      }
    };
    while (pos < end) {
      const keyStart = pos;
      const key = varint();
      const field = Math.floor(key / 8);
      const wire = key & 7;
      if (wire === 0) {
        yield [field, wire, varint(), 0, keyStart];
      } else if (wire === 1 || wire === 5 || wire === 2) {
        const len = wire === 1 ? 8 : wire === 5 ? 4 : varint();
        if (pos + len > end) throw new Error('truncated field');
        yield [field, wire, pos, pos + len, keyStart];
        pos += len;
      } else {
        throw new Error(`unsupported wire type ${wire}`);
      }
    }
  }
}
