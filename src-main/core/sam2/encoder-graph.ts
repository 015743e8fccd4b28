// Which image-encoder graph a provider runs. Hiera's global-attention blocks hold their whole
// score matrix and its softmax (4 heads × 4096² floats, 268 MB each, at 1024 input): on the CPU
// the engine runs the pack's encoder with each attention rewritten into one fused
// MultiHeadAttention (fuse-attention.ts), which onnxruntime's CPU kernel computes blockwise —
// same outputs within float rounding, the same speed, ~110 MB less at the peak of a lean run and
// ~600 MB less resident with an arena (docs/engine.md, "The image encoder's attention"). The
// rewrite is made in memory from the structure of the pack's own verified graph, its embedded
// weights referred to where they lie in the pack's file: nothing is written or copied. Providers on
// which fused attention is not proven (provider-plan.ts) run the pack's graph as it is, as does
// an encoder without attention (EdgeTAM's RepViT).
import { dirname } from 'node:path';
import { fuseAttentionFile } from './fuse-attention';
import type { AttentionKind } from './onnx-ops';
import type { ModelPack } from './pack';
import { chooseAttention, type ProviderName } from './provider-plan';

/** A graph to open: its file, or bytes with the folder its external weights lie in (bytes carry no folder of their own, and the working directory is never it). */
export type GraphSource = string | { bytes: Uint8Array; externalDataDir: string };

export interface EncoderGraph {
  kind: AttentionKind;
  graph: GraphSource;
}

/**
 * The fused rewrite of a pack's encoder, or null when it has no attention to fuse or cannot be
 * read as a graph (then onnxruntime opens the file itself and reports what is wrong with it).
 * Made afresh for each session from the file's structure alone: the weights stay where they are
 * and the rewrite points at them (fuseAttentionFile), so it is a few hundred KB whatever the pack.
 */
function fusedEncoder(path: string): Uint8Array | null {
  try {
    const { bytes, fused } = fuseAttentionFile(path);
    return fused > 0 ? bytes : null;
  } catch {
    return null;
  }
}

export function encoderGraphFor(pack: Pick<ModelPack, 'graphPaths'>, provider: ProviderName): EncoderGraph {
  const path = pack.graphPaths.image_encoder;
  // asked before the rewrite, so a GPU provider never pays for it
  const bytes = chooseAttention(provider, ['fused', 'plain']).kind === 'fused' ? fusedEncoder(path) : null;
  return bytes ? { kind: 'fused', graph: { bytes, externalDataDir: dirname(path) } } : { kind: 'plain', graph: path };
}
