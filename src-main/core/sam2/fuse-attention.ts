// Makes the fused memory-attention variant of a plain export without PyTorch: every
// Transpose(k) → MatMul(q, kᵀ) → Mul(scale) → Softmax → MatMul(·, v) on [B, heads, tokens, d]
// tensors becomes one com.microsoft::MultiHeadAttention node on [B, tokens, d] (with the
// transposes/reshapes around it), as the exporter's --attention fused writes it. Single-head
// attention only (SAM 2.1's memory attention); the CPU parity of the result proves the rewrite.
import { attrFloat, attrInt, attrInts, node, proto } from './onnx-builder';
import { protoFields } from './onnx-ops';

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

function ints(n: Node, name: string): number[] {
  const r = n.attrs.get(name);
  if (!r) return [];
  const out: number[] = [];
  for (const [f, w, a, b] of protoFields(n.raw, r[0], r[1])) {
    if (f === 8 && w === 0) out.push(a);
    if (f === 8 && w === 2) for (const [, , v] of protoFields(n.raw, a, b)) out.push(v); // never packed in practice
  }
  return out;
}

/** The scalar float of a Constant node (value tensor: raw_data or float_data). */
function constantFloat(n: Node): number {
  const r = n.attrs.get('value');
  if (!r) throw new Error('Constant without a value');
  for (const [f, w, a, b] of protoFields(n.raw, r[0], r[1])) {
    if (f === 5 && w === 2) {
      for (const [tf, tw, ta, tb] of protoFields(n.raw, a, b)) {
        if ((tf === 9 || tf === 4) && tw === 2 && tb - ta === 4) return Buffer.from(n.raw.subarray(ta, tb)).readFloatLE(0);
      }
    }
  }
  throw new Error('could not read the Constant scale');
}

function int64Constant(name: string, output: string, values: number[]): number[] {
  const raw = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => raw.writeBigInt64LE(BigInt(v), i * 8));
  const tensor = [...proto.int(1, values.length), ...proto.int(2, 7), ...proto.bytes(9, [...raw])];
  const attr = [...proto.str(1, 'value'), ...proto.bytes(5, tensor), ...proto.int(20, 4)];
  return [...proto.str(2, output), ...proto.str(3, name), ...proto.str(4, 'Constant'), ...proto.bytes(5, attr)];
}

/** Returns the fused model and how many attentions were fused. */
export function fuseAttention(model: Uint8Array): { bytes: Uint8Array; fused: number } {
  const head: Uint8Array[] = [];
  let graph: [number, number] | null = null;
  for (const [f, w, a, b] of protoFields(model, 0, model.length)) {
    if (f === 7 && w === 2) graph = [a, b];
  }
  if (!graph) throw new Error('no graph');
  const nodes: Node[] = [];
  const rest: Uint8Array[] = [];
  for (const [f, w, a, b] of protoFields(model, graph[0], graph[1])) {
    if (f === 1 && w === 2) nodes.push(parseNode(model.subarray(a, b)));
    else
      rest.push(
        Uint8Array.from([...proto.varint((f << 3) | w)]),
        ...(w === 2 ? [Uint8Array.from(proto.varint(b - a)), model.subarray(a, b)] : [Uint8Array.from(proto.varint(a))]),
      );
  }
  const producer = new Map<string, Node>();
  const consumers = new Map<string, Node[]>();
  for (const n of nodes) {
    n.outputs.forEach((o) => producer.set(o, n));
    n.inputs.forEach((i) => consumers.set(i, [...(consumers.get(i) ?? []), n]));
  }
  const drop = new Set<Node>();
  const insertAt = new Map<Node, number[][]>();
  let k = 0;
  for (const s of nodes.filter((n) => n.op === 'Softmax')) {
    const mul = producer.get(s.inputs[0]!);
    if (mul?.op !== 'Mul') continue;
    const qk = mul.inputs.map((i) => producer.get(i)).find((p) => p?.op === 'MatMul');
    const c = mul.inputs.map((i) => producer.get(i)).find((p) => p?.op === 'Constant');
    const t = qk && producer.get(qk.inputs[1]!);
    const av = consumers.get(s.outputs[0]!)?.[0];
    if (!qk || !c || t?.op !== 'Transpose' || av?.op !== 'MatMul' || av.inputs[0] !== s.outputs[0]) continue;
    if (ints(t, 'perm').join() !== '0,1,3,2') continue;
    const p = `fused_attention_${k++}`;
    const [q4, k4, v4] = [qk.inputs[0]!, t.inputs[0]!, av.inputs[1]!];
    const added: number[][] = [int64Constant(`${p}_s3`, `${p}_shape3`, [0, 0, -1]), int64Constant(`${p}_s4`, `${p}_shape4`, [0, 0, 1, -1])];
    for (const [x, name] of [
      [q4, 'q'],
      [k4, 'k'],
      [v4, 'v'],
    ] as const) {
      added.push(node('Transpose', [x], [`${p}_${name}t`], [attrInts('perm', [0, 2, 1, 3])]));
      added.push(node('Reshape', [`${p}_${name}t`, `${p}_shape3`], [`${p}_${name}3`]));
    }
    added.push(
      node(
        'MultiHeadAttention',
        [`${p}_q3`, `${p}_k3`, `${p}_v3`],
        [`${p}_o3`],
        [attrInt('num_heads', 1), attrFloat('scale', constantFloat(c))],
        'com.microsoft',
      ),
    );
    added.push(node('Reshape', [`${p}_o3`, `${p}_shape4`], [`${p}_o4`]));
    added.push(node('Transpose', [`${p}_o4`], [av.outputs[0]!], [attrInts('perm', [0, 2, 1, 3])]));
    for (const n of [t, qk, mul, s, av]) drop.add(n);
    if ((consumers.get(c.outputs[0]!) ?? []).length === 1) drop.add(c);
    insertAt.set(av, added);
  }
  const nodeBytes: Uint8Array[] = [];
  for (const n of nodes) {
    const add = insertAt.get(n);
    if (add) for (const a of add) nodeBytes.push(Uint8Array.from(proto.bytes(1, a)));
    if (!drop.has(n)) nodeBytes.push(Uint8Array.from(proto.varint((1 << 3) | 2)), Uint8Array.from(proto.varint(n.raw.length)), n.raw);
  }
  const graphBody = Buffer.concat([...nodeBytes, ...rest]);
  for (const [f, w, a, b] of protoFields(model, 0, model.length)) {
    if (f === 7 && w === 2) continue;
    head.push(
      Uint8Array.from(proto.varint((f << 3) | w)),
      ...(w === 2 ? [Uint8Array.from(proto.varint(b - a)), model.subarray(a, b)] : [Uint8Array.from(proto.varint(a))]),
    );
  }
  const opset = proto.bytes(8, [...proto.str(1, 'com.microsoft'), ...proto.int(2, 1)]);
  const bytes = Buffer.concat([
    ...head,
    Uint8Array.from(opset),
    Uint8Array.from(proto.varint((7 << 3) | 2)),
    Uint8Array.from(proto.varint(graphBody.length)),
    graphBody,
  ]);
  return { bytes, fused: k };
}
