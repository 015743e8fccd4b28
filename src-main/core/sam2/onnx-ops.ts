// Which operators an ONNX file uses, read straight from its protobuf (ModelProto → graph → node),
// without creating a session: the engine needs to know whether a memory-attention graph is the
// plain export (MatMul → Softmax → MatMul) or the fused one (com.microsoft::MultiHeadAttention)
// before it decides which provider may run it.
import { readFileSync } from 'node:fs';

export interface OnnxOp {
  opType: string;
  /** '' for the default ONNX domain */
  domain: string;
}

export type AttentionKind = 'plain' | 'fused';

/** [field, wire type, a, b, start of the field's key]: for varints a is the value; otherwise [a, b) is the payload's byte range (fixed-size fields: their 4 or 8 bytes). */
export type ProtoField = [number, number, number, number, number];

/** The fields of one protobuf message at [start, end), its bytes read through `byteAt` (memory or a file). */
export function* fieldsAt(byteAt: (pos: number) => number, start: number, end: number): Generator<ProtoField> {
  let pos = start;
  const varint = (): number => {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (pos >= end) throw new Error('truncated varint');
      const b = byteAt(pos++);
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

/**
 * Yields [field, wire type, a, b] for each field of one protobuf message in memory: for varints a
 * is the value, for length-delimited fields [a, b) is the payload's byte range; fixed-size ones are skipped.
 */
export function* protoFields(buf: Uint8Array, start: number, end: number): Generator<[number, number, number, number]> {
  for (const [f, w, a, b] of fieldsAt((pos) => buf[pos]!, start, end)) if (w === 0 || w === 2) yield [f, w, a, b];
}

const text = (buf: Uint8Array, a: number, b: number) => Buffer.from(buf.buffer, buf.byteOffset + a, b - a).toString('utf8');

/** The top-level graph's nodes (op type and domain), in file order. Throws on a file that is not ONNX. */
export function onnxOps(bytes: Uint8Array): OnnxOp[] {
  const ops: OnnxOp[] = [];
  let sawGraph = false;
  for (const [f, w, a, b] of protoFields(bytes, 0, bytes.length)) {
    if (f !== 7 || w !== 2) continue; // ModelProto.graph
    sawGraph = true;
    for (const [gf, gw, ga, gb] of protoFields(bytes, a, b)) {
      if (gf !== 1 || gw !== 2) continue; // GraphProto.node
      const op: OnnxOp = { opType: '', domain: '' };
      for (const [nf, nw, na, nb] of protoFields(bytes, ga, gb)) {
        if (nw !== 2) continue;
        if (nf === 4)
          op.opType = text(bytes, na, nb); // NodeProto.op_type
        else if (nf === 7) op.domain = text(bytes, na, nb); // NodeProto.domain
      }
      ops.push(op);
    }
  }
  if (!sawGraph) throw new Error('not an ONNX model (no graph)');
  return ops;
}

/** fused when the graph holds a com.microsoft MultiHeadAttention node, else plain. */
export function attentionKindOf(ops: OnnxOp[]): AttentionKind {
  return ops.some((o) => o.opType === 'MultiHeadAttention' && o.domain === 'com.microsoft') ? 'fused' : 'plain';
}

export function attentionKindOfFile(path: string): AttentionKind {
  return attentionKindOf(onnxOps(readFileSync(path)));
}
