// Packs carrying both memory-attention variants, made from the micro pack in a temp folder: the
// plain graph is the micro pack's own, the fused one is its rewrite (fuse-attention.ts). Which
// one is the default (model.json "graphs.memory_attention") and which sits under variants/ is
// chosen per test; every file is listed under "files" with its size and sha256.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MICRO_PACK_DIR } from '../fixtures/sam2-micro/golden';
import { fuseAttention } from '../../src-main/core/sam2/fuse-attention';

export function fusedMicroAttention(): Uint8Array {
  const { bytes, fused } = fuseAttention(readFileSync(join(MICRO_PACK_DIR, 'memory_attention.onnx')));
  // two layers × (self + cross) attention
  if (fused !== 4) throw new Error(`expected 4 attentions in the micro memory attention, fused ${fused}`);
  return bytes;
}

/** A copy of the micro pack in `dir` whose default attention is `main`, with the other under variants/ (unless `variant` is false). */
export function variantPack(dir: string, main: 'plain' | 'fused', variant = true): string {
  mkdirSync(join(dir, 'variants'), { recursive: true });
  for (const f of readdirSync(MICRO_PACK_DIR)) copyFileSync(join(MICRO_PACK_DIR, f), join(dir, f));
  const plain = readFileSync(join(MICRO_PACK_DIR, 'memory_attention.onnx'));
  const fused = fusedMicroAttention();
  writeFileSync(join(dir, 'memory_attention.onnx'), main === 'plain' ? plain : fused);
  const other = main === 'plain' ? 'fused' : 'plain';
  if (variant) writeFileSync(join(dir, 'variants', `memory_attention.${other}.onnx`), other === 'plain' ? plain : fused);
  const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const listed = ['memory_attention.onnx', ...(variant ? [`variants/memory_attention.${other}.onnx`] : [])];
  for (const f of listed) {
    const b = readFileSync(join(dir, f));
    manifest.files[f] = { bytes: b.length, sha256: createHash('sha256').update(b).digest('hex') };
  }
  writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest, null, 2));
  return dir;
}
