// Fused attention for a plain export, without PyTorch: every MatMul(q, kᵀ) → Mul(scale) →
// Softmax → [Cast to float]* → MatMul(·, v) on [B, heads, tokens, d] tensors becomes one
// com.microsoft::MultiHeadAttention node (kᵀ and v from 4-D transposes), the heads folded into the batch ([B·heads, tokens, d],
// one head per item, so any head count works without reading shapes), with the reshapes around
// it. Used for the memory attention's fused variant (as the exporter's --attention fused writes
// it) and for the image encoder on the CPU (encoder-graph.ts); the CPU parity of the result
// against the PyTorch goldens proves the rewrite.
import { attrFloat, attrInt, attrInts, node, proto } from './onnx-builder';
import { basename } from 'node:path';
import { protoFields } from './onnx-ops';
import { ProtoFile } from './proto-file';

interface Node {
  raw: Uint8Array;
  inputs: string[];
  outputs: string[];
  op: string;
  /** attribute name → [start, end) of its AttributeProto in raw */
  attrs: Map<string, [number, number]>;
}

const text = (b: Uint8Array, s: number, e: number) => Buffer.from(b.subarray(s, e)).toString('utf8');

function parseNode(raw: Uint8Array): Node {
  const n: Node = { raw, inputs: [], outputs: [], op: '', attrs: new Map() };
  for (const [f, w, a, b] of protoFields(raw, 0, raw.length)) {
    if (w !== 2) continue;
    if (f === 1) n.inputs.push(text(raw, a, b));
    else if (f === 2) n.outputs.push(text(raw, a, b));
    else if (f === 4) n.op = text(raw, a, b);
    else if (f === 5) {
      for (const [af, aw, aa, ab] of protoFields(raw, a, b)) if (af === 1 && aw === 2) n.attrs.set(text(raw, aa, ab), [a, b]);
    }
  }
  return n;
}

/** An int attribute (AttributeProto.i), or null when the node has none by that name. */
function intAttr(n: Node, name: string): number | null {
  const r = n.attrs.get(name);
  if (!r) return null;
  for (const [f, w, a] of protoFields(n.raw, r[0], r[1])) if (f === 3 && w === 0) return a;
  return null;
}

/** The perm of a Transpose node (AttributeProto.ints, unpacked as onnx writes it). */
function perm(n: Node): number[] {
  const r = n.attrs.get('perm');
  const out: number[] = [];
  if (r) for (const [f, w, a] of protoFields(n.raw, r[0], r[1])) if (f === 8 && w === 0) out.push(a);
  return out;
}

/** TensorProto.DataType FLOAT */
const FLOAT = 1;

/** The scalar float of a Constant node (value tensor: raw_data or float_data), or null when it holds none (that attention is left as it is). */
function constantFloat(n: Node): number | null {
  const r = n.attrs.get('value');
  if (!r) return null;
  for (const [f, w, a, b] of protoFields(n.raw, r[0], r[1])) {
    if (f === 5 && w === 2) {
      for (const [tf, tw, ta, tb] of protoFields(n.raw, a, b)) {
        if ((tf === 9 || tf === 4) && tw === 2 && tb - ta === 4) return Buffer.from(n.raw.subarray(ta, tb)).readFloatLE(0);
      }
    }
  }
  return null;
}

function int64Constant(name: string, output: string, values: number[]): number[] {
  const raw = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => raw.writeBigInt64LE(BigInt(v), i * 8));
  const tensor = [...proto.int(1, values.length), ...proto.int(2, 7), ...proto.bytes(9, [...raw])];
  const attr = [...proto.str(1, 'value'), ...proto.bytes(5, tensor), ...proto.int(20, 4)];
  return [...proto.str(2, output), ...proto.str(3, name), ...proto.str(4, 'Constant'), ...proto.bytes(5, attr)];
}

/** Where a model's bytes come from: memory, or a file read by position (proto-file.ts). */
interface ModelSource {
  length: number;
  /** [field, wire, a, b, …] as protoFields yields them */
  fields(start: number, end: number): Iterable<readonly number[]>;
  bytes(a: number, b: number): Uint8Array;
}

/** One field as it was: its key, then its length and payload, its varint, or its fixed bytes. */
function fieldAsIs(src: ModelSource, f: number, w: number, a: number, b: number): Uint8Array[] {
  const key = Uint8Array.from(proto.varint((f << 3) | w));
  if (w === 2) return [key, Uint8Array.from(proto.varint(b - a)), src.bytes(a, b)];
  return [key, w === 0 ? Uint8Array.from(proto.varint(a)) : src.bytes(a, b)];
}

/** Returns the fused model and how many attentions were fused. */
export function fuseAttention(model: Uint8Array): { bytes: Uint8Array; fused: number } {
  return fuseFrom({ length: model.length, fields: (s, e) => protoFields(model, s, e), bytes: (a, b) => model.subarray(a, b) });
}

/** Weights smaller than this stay inside the rewritten graph. */
const EXTERNAL_MIN_BYTES = 4096;

/**
 * The fused rewrite of the graph file at `path`, reading only its structure: every initializer
 * with embedded data of EXTERNAL_MIN_BYTES or more becomes external data that points at its bytes
 * inside `path` itself (ONNX external data: location, offset, length), so the result is a few
 * hundred KB whatever the weights, and onnxruntime reads them from the pack's file. Open the
 * bytes with the file's folder as their external-data folder.
 */
export function fuseAttentionFile(path: string): { bytes: Uint8Array; fused: number } {
  const file = new ProtoFile(path);
  try {
    const location = basename(path);
    return fuseFrom(file, (a, b) => {
      let raw: readonly number[] | null = null;
      for (const field of file.fields(a, b)) {
        if (field[0] === 14 && field[1] === 0 && field[2] === 1) return null; // already external
        if (field[0] === 9 && field[1] === 2) raw = field;
      }
      if (!raw || raw[3]! - raw[2]! < EXTERNAL_MIN_BYTES) return null;
      const [, , dataStart, dataEnd, keyStart] = raw as [number, number, number, number, number];
      const entry = (k: string, v: string) => proto.bytes(13, [...proto.str(1, k), ...proto.str(2, v)]);
      const external = Uint8Array.from([
        ...entry('location', location),
        ...entry('offset', String(dataStart)),
        ...entry('length', String(dataEnd - dataStart)),
        ...proto.int(14, 1),
      ]);
      // the tensor's own fields but its raw_data, then where the data lies
      return [file.bytes(a, keyStart), file.bytes(dataEnd, b), external];
    });
  } finally {
    file.close();
  }
}

/**
 * The rewrite over any source. `initializer` may give an initializer's TensorProto anew (its
 * pieces, concatenated); null keeps it as it is.
 */
function fuseFrom(src: ModelSource, initializer?: (a: number, b: number) => Uint8Array[] | null): { bytes: Uint8Array; fused: number } {
  const head: Uint8Array[] = [];
  let graph: [number, number] | null = null;
  for (const [f, w, a, b] of src.fields(0, src.length)) {
    if (f === 7 && w === 2) graph = [a!, b!];
  }
  if (!graph) throw new Error('no graph');
  const nodes: Node[] = [];
  const rest: Uint8Array[] = [];
  for (const [f, w, a, b] of src.fields(graph[0], graph[1])) {
    if (f === 1 && w === 2) nodes.push(parseNode(src.bytes(a!, b!)));
    else {
      const pieces = f === 5 && w === 2 && initializer ? initializer(a!, b!) : null;
      if (pieces) {
        const length = pieces.reduce((n, p) => n + p.length, 0);
        rest.push(Uint8Array.from(proto.varint((5 << 3) | 2)), Uint8Array.from(proto.varint(length)), ...pieces);
      } else rest.push(...fieldAsIs(src, f!, w!, a!, b!));
    }
  }
  const producer = new Map<string, Node>();
  const consumers = new Map<string, Node[]>();
  for (const n of nodes) {
    n.outputs.forEach((o) => producer.set(o, n));
    n.inputs.forEach((i) => consumers.set(i, [...(consumers.get(i) ?? []), n]));
  }
  const only = (t: string) => {
    const c = consumers.get(t) ?? [];
    return c.length === 1 ? c[0]! : undefined;
  };
  const drop = new Set<Node>();
  const insertAt = new Map<Node, number[][]>();
  let k = 0;
  for (const s of nodes.filter((n) => n.op === 'Softmax')) {
    const mul = producer.get(s.inputs[0]!);
    if (mul?.op !== 'Mul' || only(mul.outputs[0]!) !== s) continue;
    const qk = mul.inputs.map((i) => producer.get(i)).find((p) => p?.op === 'MatMul');
    const c = mul.inputs.map((i) => producer.get(i)).find((p) => p?.op === 'Constant');
    const scale = c && constantFloat(c);
    if (!qk || scale == null || only(qk.outputs[0]!) !== mul) continue;
    // torch's export may put casts to float between the softmax and the second product
    // (transformers' softmax(dtype=float32).to(query.dtype)); on a float graph they change nothing
    const casts: Node[] = [];
    let av = only(s.outputs[0]!);
    while (av?.op === 'Cast' && intAttr(av, 'to') === FLOAT) {
      casts.push(av);
      av = only(av.outputs[0]!);
    }
    const probs = casts.at(-1)?.outputs[0] ?? s.outputs[0]!;
    if (av?.op !== 'MatMul' || av.inputs[0] !== probs) continue;
    // the reshapes below assume [B, h, S, d]: kᵀ and v must come out of 4-D transposes (as every
    // export of SAM 2's attentions writes them); anything else is left as it is
    const is4d = (t: string) => {
      const n = producer.get(t);
      return n?.op === 'Transpose' && perm(n).length === 4;
    };
    if (!is4d(qk.inputs[1]!) || !is4d(av.inputs[1]!)) continue;
    const p = `fused_attention_${k++}`;
    // q [B, h, Sq, d] · kᵀ [B, h, d, Sk] → softmax → · v [B, h, Sk, dv]: the heads join the batch,
    // so one single-head MultiHeadAttention on [B·h, S, d] computes every head, whatever h is
    const [q4, kT, v4] = [qk.inputs[0]!, qk.inputs[1]!, av.inputs[1]!];
    const added: number[][] = [int64Constant(`${p}_c`, `${p}_minus1`, [-1])];
    const toBatch = (x: string, name: string) => {
      added.push(node('Shape', [x], [`${p}_${name}_sd`], [attrInt('start', 2)]));
      added.push(node('Concat', [`${p}_minus1`, `${p}_${name}_sd`], [`${p}_${name}_shape`], [attrInt('axis', 0)]));
      added.push(node('Reshape', [x, `${p}_${name}_shape`], [`${p}_${name}3`]));
    };
    toBatch(q4, 'q');
    added.push(node('Transpose', [kT], [`${p}_k4`], [attrInts('perm', [0, 1, 3, 2])]));
    toBatch(`${p}_k4`, 'k');
    toBatch(v4, 'v');
    added.push(
      node('MultiHeadAttention', [`${p}_q3`, `${p}_k3`, `${p}_v3`], [`${p}_o3`], [attrInt('num_heads', 1), attrFloat('scale', scale)], 'com.microsoft'),
    );
    // back to [B, h, Sq, dv]: q's leading three dims, v's last
    added.push(node('Shape', [q4], [`${p}_bhs`], [attrInt('end', 3)]));
    added.push(node('Shape', [v4], [`${p}_dv`], [attrInt('start', 3)]));
    added.push(node('Concat', [`${p}_bhs`, `${p}_dv`], [`${p}_o_shape`], [attrInt('axis', 0)]));
    added.push(node('Reshape', [`${p}_o3`, `${p}_o_shape`], [av.outputs[0]!]));
    for (const n of [qk, mul, s, ...casts, av]) drop.add(n);
    if ((consumers.get(c!.outputs[0]!) ?? []).length === 1) drop.add(c!);
    insertAt.set(av, added);
  }
  const nodeBytes: Uint8Array[] = [];
  for (const n of nodes) {
    const add = insertAt.get(n);
    if (add) for (const a of add) nodeBytes.push(Uint8Array.from(proto.bytes(1, a)));
    if (!drop.has(n)) nodeBytes.push(Uint8Array.from(proto.varint((1 << 3) | 2)), Uint8Array.from(proto.varint(n.raw.length)), n.raw);
  }
  // the graph's pieces are copied once, into the result: a pack with embedded weights is
  // hundreds of MB, and each copy of it costs memory and time while the session opens
  const graphBody = [...nodeBytes, ...rest];
  const graphLength = graphBody.reduce((n, b) => n + b.length, 0);
  for (const [f, w, a, b] of src.fields(0, src.length)) {
    if (f === 7 && w === 2) continue;
    head.push(...fieldAsIs(src, f!, w!, a!, b!));
  }
  const opset = proto.bytes(8, [...proto.str(1, 'com.microsoft'), ...proto.int(2, 1)]);
  const bytes = Buffer.concat([
    ...head,
    Uint8Array.from(opset),
    Uint8Array.from(proto.varint((7 << 3) | 2)),
    Uint8Array.from(proto.varint(graphLength)),
    ...graphBody,
  ]);
  return { bytes, fused: k };
}
