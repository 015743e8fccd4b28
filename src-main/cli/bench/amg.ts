// Benchmark of automatic mask generation (in process, so decoder time and the rest can be
// split): one 960×540 frame of flat-coloured shapes at points_per_side 16 and 32 with the
// decoder batch size varied, on the hiera-tiny-shaped pack of ../shared/fixtures (weights
// written into .cache/ once by its make-weights.mjs, as the engine suite does); `--quick`: the
// micro pack at points_per_side 8. The frame's image features are computed once (their time is
// reported apart) and shared by every run, as in the app where clicks and "segment everything"
// reuse them. Each configuration runs once untimed on one full batch first, so onnxruntime's
// memory arena for that batch size is grown before the timed run; the timed run then copies the
// features for its batch size itself, as every request in the app does.
import { generateMasks, predictorBackend, type AmgOptions } from '../../core/sam2/amg';
import { MemoryFrameSource, type RgbFrame } from '../../core/sam2/frame-source';
import { Sam2VideoPredictor } from '../../core/sam2/predictor';
import { microPack, repoRoot, tinyShapesPack } from './packs';
import type { BenchSuite, BenchTable } from './suite';

/** A frame of flat-coloured shapes on a grey background: discs, rectangles and a triangle. */
export function shapesFrame(w: number, h: number): RgbFrame {
  const data = new Uint8Array(w * h * 3);
  const s = Math.min(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let c = [96, 96, 96];
      if ((x - 0.25 * w) ** 2 + (y - 0.5 * h) ** 2 < (0.18 * s) ** 2) c = [220, 30, 30];
      else if (x > 0.45 * w && x < 0.62 * w && y > 0.2 * h && y < 0.55 * h) c = [30, 40, 220];
      else if (x > 0.7 * w && x < 0.92 * w && y > 0.6 * h && y < 0.9 * h - (x - 0.7 * w) * 0.6) c = [40, 200, 60];
      else if ((x - 0.8 * w) ** 2 + (y - 0.25 * h) ** 2 < (0.08 * s) ** 2) c = [240, 220, 40];
      data.set(c, (y * w + x) * 3);
    }
  }
  return { width: w, height: h, data };
}

interface Config {
  pointsPerSide: number;
  pointsPerBatch: number;
  /** official thresholds, or every mask through (the most work outside the decoder) */
  filters: 'official' | 'off';
}

async function benchPack(label: string, dir: string, configs: Config[]): Promise<BenchTable[]> {
  const frame = shapesFrame(960, 540);
  const p = await Sam2VideoPredictor.create(dir, new MemoryFrameSource([frame]), { provider: 'cpu' });
  try {
    const t0 = performance.now();
    await p.getFrameFeatures(0);
    const encodeMs = performance.now() - t0;
    const rows: (string | number)[][] = [];
    for (const c of configs) {
      const opts: Partial<AmgOptions> = {
        pointsPerSide: c.pointsPerSide,
        pointsPerBatch: c.pointsPerBatch,
        ...(c.filters === 'off' ? { predIouThresh: 0, stabilityScoreThresh: 0 } : {}),
      };
      await generateMasks(predictorBackend(p), 0, { ...opts, pointsPerSide: Math.ceil(Math.sqrt(c.pointsPerBatch)) });
      // a fresh backend, as each request in the app: the run includes copying the features B times
      const r = await generateMasks(predictorBackend(p), 0, opts);
      const s = r.stats;
      const outside = s.totalMs - s.decoderMs;
      rows.push([
        c.pointsPerSide,
        s.points,
        c.pointsPerBatch,
        c.filters,
        s.totalMs,
        s.decoderMs,
        s.decoderCalls,
        outside,
        `${((100 * outside) / s.totalMs).toFixed(1)} %`,
        s.decoderMs / s.points,
        s.decodedMasks,
        s.passedFilters,
        s.kept,
        process.memoryUsage().rss / 2 ** 30,
      ]);
    }
    return [
      {
        title: `amg ${label}: one 960×540 frame (ms)`,
        columns: [
          'points per side',
          'points',
          'decoder batch',
          'filters',
          'wall',
          'mask decoder',
          'decoder calls',
          'outside decoder',
          'outside share',
          'decoder ms / point',
          'masks decoded',
          'passed filters',
          'kept',
          'RSS after (GiB)',
        ],
        rows,
        notes: [
          `image encoder for the frame: ${encodeMs.toFixed(0)} ms, once (cached; not in the rows); "outside decoder" includes copying the frame's features B times for the decoder`,
          `provider ${p.stats().providers.mask_decoder}, ${p.stats().threads} threads; process max RSS ${(process.resourceUsage().maxRSS / 2 ** 20).toFixed(1)} GiB`,
          'filters "off": pred_iou_thresh = stability_score_thresh = 0, so every decoded mask is upsampled, counted, thresholded and run-length encoded (the most work outside the decoder)',
        ],
      },
    ];
  } finally {
    await p.dispose();
  }
}

export const amgBench: BenchSuite = {
  name: 'amg',
  summary: 'segment everything on one frame: wall time at points_per_side 16/32, decoder batch size, share outside the mask decoder',
  async run({ quick }) {
    const root = repoRoot();
    if (quick) {
      const micro = microPack(root);
      return benchPack('micro pack', micro, [
        { pointsPerSide: 8, pointsPerBatch: 16, filters: 'official' },
        { pointsPerSide: 8, pointsPerBatch: 64, filters: 'official' },
        { pointsPerSide: 8, pointsPerBatch: 64, filters: 'off' },
      ]);
    }
    const tiny = tinyShapesPack(root);
    if (!tiny) throw new Error('the sam2.1-tiny-shapes fixture is missing (set MASKLINE_TINY_SHAPES_DIR)');
    // batch 256 needs ~16 GiB on CPU (the decoder's activations grow with the batch), so 128 is the largest here
    const configs: Config[] = [];
    for (const pps of [16, 32]) for (const b of [16, 64, 128]) configs.push({ pointsPerSide: pps, pointsPerBatch: b, filters: 'official' });
    configs.push({ pointsPerSide: 16, pointsPerBatch: 64, filters: 'off' });
    return benchPack('hiera-tiny shapes (random weights)', tiny, configs);
  },
};
