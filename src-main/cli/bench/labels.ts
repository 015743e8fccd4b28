// Benchmark of zero-shot labelling (CLIP) on the CPU: ms per crop (preprocessing + vision tower,
// batched) and ms per label set (tokenising + text tower for all prompts, once per set and model:
// the labeller caches it), on ../shared/fixtures/clip-micro and, when MASKLINE_CLIP_DIR names a
// real CLIP folder (e.g. Xenova/clip-vit-base-patch32), on it. Crops are cut from a 960×540 frame
// of shapes with the mask crop of core/labels (square padding), so the resize work is real.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ClipModel, normalizeLabelSet, ZeroShotLabeller } from '../../core/labels';
import { encodeMask } from '../../core/masks/rle';
import { shapesFrame } from './amg';
import { repoRoot } from './packs';
import type { BenchSuite, BenchTable } from './suite';

const LABELS = ['person', 'car', 'dog', 'cat', 'bicycle', 'tree', 'traffic light', 'chair', 'bottle', 'bird'];
const TEMPLATES = ['a photo of a {label}.', 'a blurry photo of a {label}.', 'a close-up photo of a {label}.'];

function masks(w: number, h: number, n: number) {
  return Array.from({ length: n }, (_, i) => {
    const bits = new Uint8Array(w * h);
    const x0 = (i * 37) % (w - 200);
    const y0 = (i * 23) % (h - 150);
    const bw = 40 + ((i * 53) % 160);
    const bh = 30 + ((i * 29) % 120);
    for (let y = y0; y < y0 + bh; y++) bits.fill(1, y * w + x0, y * w + x0 + bw);
    return encodeMask(bits, h, w);
  });
}

async function benchFolder(name: string, dir: string, crops: number): Promise<BenchTable> {
  const frame = shapesFrame(960, 540);
  const rows: (string | number)[][] = [];
  const model = await ClipModel.open(dir, { batchSize: 8 });
  const labeller = new ZeroShotLabeller(model);
  try {
    const ms = masks(frame.width, frame.height, crops);
    const one = normalizeLabelSet(LABELS);
    const three = normalizeLabelSet(LABELS, TEMPLATES);
    // warm-up: arenas grown for both batch shapes
    await labeller.classifyMasks(frame, ms.slice(0, 8), normalizeLabelSet(['warm']));
    let t = performance.now();
    await labeller.labelEmbeddings(one);
    const setMs = performance.now() - t;
    t = performance.now();
    await labeller.labelEmbeddings(three);
    const set3Ms = performance.now() - t;
    t = performance.now();
    await labeller.labelEmbeddings(one);
    const cachedMs = performance.now() - t;
    t = performance.now();
    await labeller.classifyMasks(frame, ms, one);
    const cropMs = (performance.now() - t) / crops;
    rows.push([name, model.dim, crops, cropMs, setMs, set3Ms, cachedMs]);
  } finally {
    await labeller.dispose();
  }
  return {
    title: `labels: CLIP zero-shot on the CPU (${name})`,
    columns: [
      'model',
      'embed dim',
      'crops',
      'ms per crop (crop + preprocess + vision, batch 8)',
      `ms per label set (${LABELS.length} labels × 1 template)`,
      `ms per label set (${LABELS.length} × 3 templates, averaged)`,
      'ms per label set, cached',
    ],
    rows,
  };
}

export const labelsBench: BenchSuite = {
  name: 'labels',
  summary: 'CLIP zero-shot labels: ms per crop and per label set (clip-micro; MASKLINE_CLIP_DIR for a real folder)',
  async run({ quick }) {
    const tables: BenchTable[] = [];
    const micro = join(repoRoot(), '..', 'shared', 'fixtures', 'clip-micro');
    if (existsSync(join(micro, 'config.json'))) tables.push(await benchFolder('clip-micro (random weights, 32-d)', micro, quick ? 16 : 64));
    const real = process.env.MASKLINE_CLIP_DIR;
    if (real) tables.push(await benchFolder(real, resolve(real), quick ? 8 : 32));
    else tables.push({ title: 'labels: real CLIP folder', columns: ['note'], rows: [['MASKLINE_CLIP_DIR is not set: no real CLIP folder measured']] });
    return tables;
  },
};
