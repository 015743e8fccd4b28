// A pack's memory-attention graphs: its default graph (model.json "graphs.memory_attention"),
// then any variants the exporter wrote as variants/memory_attention.<plain|fused>.onnx. A variant
// is used only when model.json lists it under "files", so the loader has checked its size and
// sha256 like every other file the engine opens. The kind of each graph is read from its
// operators, never from its name.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PackError } from './errors';
import { attentionKindOfFile, type AttentionKind } from './onnx-ops';
import type { ModelPack } from './pack';

export interface AttentionGraph {
  kind: AttentionKind;
  /** the file name as model.json lists it */
  file: string;
  path: string;
}

export const variantFile = (kind: AttentionKind) => `variants/memory_attention.${kind}.onnx`;

export function attentionGraphs(pack: ModelPack): AttentionGraph[] {
  const read = (file: string): AttentionGraph => {
    const path = join(pack.dir, file);
    try {
      return { kind: attentionKindOfFile(path), file, path };
    } catch (e) {
      throw new PackError('GRAPH_LOAD', `${file} could not be read as an ONNX graph: ${(e as Error).message}`, file);
    }
  };
  const main = read(pack.manifest.graphs.memory_attention);
  const out = [main];
  for (const kind of ['plain', 'fused'] as const) {
    const file = variantFile(kind);
    if (kind === main.kind || !pack.manifest.files[file] || !existsSync(join(pack.dir, file))) continue;
    const v = read(file);
    // a variant whose operators disagree with its name is not the variant it claims to be
    if (v.kind !== kind) throw new PackError('GRAPH_SIGNATURE', `${file} is named ${kind} but its graph is ${v.kind} attention`, file);
    out.push(v);
  }
  return out;
}
