// Protobuf fields of a file read by position, never the whole file: a pack's graph with embedded
// weights is hundreds of MB, and the attention rewrite (fuse-attention.ts) needs only its
// structure — where each field lies — to refer to the weights where they already are.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { fieldsAt, type ProtoField } from './onnx-ops';

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
  fields(start: number, end: number): Generator<ProtoField> {
    return fieldsAt((pos) => this.byteAt(pos), start, end);
  }
}
