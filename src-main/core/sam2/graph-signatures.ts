// The four graphs' input/output contract (model-contract.md), derived from the manifest, and a
// pure check of a loaded graph's metadata against it. Dims are checked where the contract fixes
// them; symbolic dims (batch, point count, memory length) are accepted as any name or size.
import { PackError } from './errors';
import type { GraphName, PackManifest } from './manifest';

export type TensorType = 'float32' | 'int32' | 'int64';
/** a number must match exactly; null accepts anything (symbolic or fixed) */
export type DimSpec = number | null;

export interface TensorSpec {
  name: string;
  type: TensorType;
  dims: DimSpec[];
}

export interface GraphSpec {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

/** What onnxruntime reports per input/output (InferenceSession.inputMetadata). */
export interface TensorMeta {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: (number | string)[];
}

export function expectedSignatures(m: PackManifest): Record<GraphName, GraphSpec> {
  const S = m.imageSize;
  const h = m.featSize;
  const C = m.hiddenDim;
  const D = m.memDim;
  const L = 4 * h;
  const f = (name: string, dims: DimSpec[], type: TensorType = 'float32'): TensorSpec => ({ name, type, dims });
  // Integer flags of the contract (has_mask_input, binarize) are read from the graph: the
  // reference exports them as float32; the engine feeds whatever float/int type the graph declares.
  return {
    image_encoder: {
      inputs: [f('pixel_values', [null, 3, S, S])],
      outputs: [
        f('feat_s0', [null, C / 8, null, null]),
        f('feat_s1', [null, C / 4, null, null]),
        f('vision_feat', [null, C, null, null]),
        f('vision_pos', [null, null, null, null]),
      ],
    },
    mask_decoder: {
      inputs: [
        f('image_embed', [null, C, h, h]),
        f('feat_s0', [null, C / 8, L, L]),
        f('feat_s1', [null, C / 4, 2 * h, 2 * h]),
        f('point_coords', [null, null, 2]),
        f('point_labels', [null, null], 'int32'),
        f('mask_input', [null, 1, L, L]),
        f('has_mask_input', [null]),
      ],
      outputs: [f('low_res_masks', [null, 4, L, L]), f('iou_scores', [null, 4]), f('object_score_logits', [null, 1]), f('object_pointers', [null, 4, C])],
    },
    memory_encoder: {
      inputs: [f('vision_feat', [null, C, h, h]), f('mask_logits', [null, 1, null, null]), f('object_score_logits', [null, 1]), f('binarize', [null])],
      // EdgeTAM's memory encoder ends in the perceiver: T tokens of D, token-major (edgetam-notes 4)
      outputs: m.memoryTokenMajor
        ? [f('maskmem_features', [null, m.memoryTokensPerFrame, D]), f('maskmem_pos_enc', [null, m.memoryTokensPerFrame, D])]
        : [f('maskmem_features', [null, D, h, h]), f('maskmem_pos_enc', [null, null, null, null])],
    },
    memory_attention: {
      inputs: [
        f('current_features', [null, h * h, C]),
        f('current_pos', [null, h * h, C]),
        f('memory', [null, null, D]),
        f('memory_pos', [null, null, D]),
        f('num_object_pointer_tokens', [], 'int64'),
      ],
      outputs: [f('conditioned_feat', [null, C, h, h])],
    },
  };
}

/** Inputs whose element type may be any of these (flags). */
const FLEXIBLE_TYPES: Record<string, string[]> = {
  has_mask_input: ['float32', 'int32', 'int64', 'bool'],
  binarize: ['float32', 'int32', 'int64', 'bool'],
};

/** Throws PackError GRAPH_SIGNATURE naming the file and the first mismatch. */
export function checkGraphSignature(file: string, graph: GraphName, spec: GraphSpec, inputs: readonly TensorMeta[], outputs: readonly TensorMeta[]): void {
  function bad(msg: string): never {
    throw new PackError('GRAPH_SIGNATURE', `${file} does not have the ${graph} signature: ${msg}`, file);
  }
  const check = (kind: 'input' | 'output', want: TensorSpec[], got: readonly TensorMeta[]) => {
    const names = got.map((g) => g.name);
    for (const w of want) {
      const g = got.find((x) => x.name === w.name);
      if (g === undefined) return bad(`${kind} "${w.name}" is missing (it has ${names.join(', ') || 'none'})`);
      if (!g.isTensor) bad(`${kind} "${w.name}" is not a tensor`);
      const allowed = FLEXIBLE_TYPES[w.name] ?? [w.type];
      if (g.type !== undefined && !allowed.includes(g.type)) bad(`${kind} "${w.name}" has type ${g.type}, expected ${allowed.join(' or ')}`);
      if (g.shape !== undefined) {
        if (g.shape.length !== w.dims.length) bad(`${kind} "${w.name}" has rank ${g.shape.length}, expected ${w.dims.length}`);
        w.dims.forEach((d, i) => {
          const gd = g.shape![i];
          if (d !== null && typeof gd === 'number' && gd >= 0 && gd !== d) bad(`${kind} "${w.name}" dim ${i} is ${gd}, expected ${d}`);
        });
      }
    }
    if (kind === 'input') {
      const extra = got.filter((g) => !want.some((w) => w.name === g.name));
      if (extra.length) bad(`unexpected input(s) ${extra.map((e) => `"${e.name}"`).join(', ')}`);
    }
  };
  check('input', spec.inputs, inputs);
  check('output', spec.outputs, outputs);
}
