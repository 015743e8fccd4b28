// A minimal ONNX ModelProto writer (protobuf by hand): nodes and attributes for graph rewrites
// (fuse-attention.ts), and tiny single-purpose graphs, so a test can ask onnxruntime-node whether
// it runs an operator without any model file.

function varint(value: number | bigint): number[] {
  let n = BigInt(value);
  if (n < 0n) n += 1n << 64n; // int64 fields: two's complement, 10 bytes
  const out: number[] = [];
  while (n > 127n) {
    out.push(Number(n & 127n) | 128);
    n >>= 7n;
  }
  out.push(Number(n));
  return out;
}

const key = (field: number, wire: number) => varint((field << 3) | wire);
const bytes = (field: number, data: number[]) => [...key(field, 2), ...varint(data.length), ...data];
const str = (field: number, s: string) => bytes(field, [...Buffer.from(s, 'utf8')]);
const int = (field: number, v: number) => [...key(field, 0), ...varint(v)];
function float(field: number, v: number): number[] {
  const b = Buffer.alloc(4);
  b.writeFloatLE(v);
  return [...key(field, 5), ...b];
}

/** protobuf field writers, for helpers that build other ONNX messages */
export const proto = { varint, bytes, str, int };

export type Attr = number[];
export const attrInt = (name: string, v: number): Attr => [...str(1, name), ...int(3, v), ...int(20, 2)];
export const attrFloat = (name: string, v: number): Attr => [...str(1, name), ...float(2, v), ...int(20, 1)];
export const attrInts = (name: string, vs: number[]): Attr => [...str(1, name), ...vs.flatMap((v) => int(8, v)), ...int(20, 7)];

export function node(op: string, inputs: string[], outputs: string[], attrs: Attr[] = [], domain = ''): number[] {
  return [
    ...inputs.flatMap((i) => str(1, i)),
    ...outputs.flatMap((o) => str(2, o)),
    ...str(4, op),
    ...(domain ? str(7, domain) : []),
    ...attrs.flatMap((a) => bytes(5, a)),
  ];
}

/** A float32 tensor value with symbolic or fixed dims. */
function valueInfo(name: string, dims: (number | string)[]): number[] {
  const dim = (d: number | string) => bytes(1, typeof d === 'number' ? int(1, d) : str(2, d));
  return [...str(1, name), ...bytes(2, bytes(1, [...int(1, 1), ...bytes(2, dims.flatMap(dim))]))];
}

/** A float32 initializer whose data lies in a file beside the graph (ONNX external data). */
export interface ExternalInitializer {
  name: string;
  dims: number[];
  location: string;
  offset: number;
}

function externalTensor(t: ExternalInitializer): number[] {
  const entry = (k: string, v: string) => bytes(13, [...str(1, k), ...str(2, v)]);
  const length = 4 * t.dims.reduce((a, b) => a * b, 1);
  return [
    ...t.dims.flatMap((d) => int(1, d)),
    ...int(2, 1),
    ...str(8, t.name),
    ...entry('location', t.location),
    ...entry('offset', String(t.offset)),
    ...entry('length', String(length)),
    ...int(14, 1),
  ];
}

export function model(
  nodes: number[][],
  inputs: [string, (number | string)[]][],
  outputs: [string, (number | string)[]][],
  opsets: Record<string, number> = { '': 17 },
  initializers: ExternalInitializer[] = [],
): Uint8Array {
  const graph = [
    ...nodes.flatMap((n) => bytes(1, n)),
    ...str(2, 'g'),
    ...initializers.flatMap((t) => bytes(5, externalTensor(t))),
    ...inputs.flatMap(([n, d]) => bytes(11, valueInfo(n, d))),
    ...outputs.flatMap(([n, d]) => bytes(12, valueInfo(n, d))),
  ];
  const imports = Object.entries(opsets).flatMap(([domain, version]) => bytes(8, [...str(1, domain), ...int(2, version)]));
  return Uint8Array.from([...int(1, 8), ...imports, ...bytes(7, graph)]);
}
