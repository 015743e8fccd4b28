// `maskline segment-all`: automatic mask generation ("segment everything") on one frame,
// headless. Writes DIR/<index:03d>.png (0/255, frame resolution) per proposal, largest first,
// and DIR/proposals.json with the official generator's fields (segmentation as COCO RLE).
// With --clip DIR --labels "…", every proposal also gets a CLIP zero-shot label and confidence
// (the SAM 2 + CLIP tutorial's pipeline). Prints what each filter let through (the funnel) and,
// when nothing survived, why and which thresholds would let something through; --json prints
// that as JSON. The out folder is the export's ownership rule's (core/export/staging.ts): files
// under our names that an earlier run did not write make the command refuse before any work, and
// only the proposal files an earlier run wrote are replaced or removed. See docs/amg.md.
import { readdirSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { UsageError, type ParsedFlags } from '../args';
import type { CliCommand } from '../command';
import { describeProviders, providerFlag, providerFlagSpec } from '../provider-flag';
import { generateMasks, predictorBackend, proposalFileName, resolveAmgOptions, sortByArea, toProposalJson, type AmgOptions } from '../../core/sam2/amg';
import { readVideoFrame } from '../../core/sam2/amg/video-frame';
import { EngineError } from '../../core/sam2/errors';
import { FolderFrameSource } from '../../core/sam2/frame-source-folder';
import { MemoryFrameSource, type FrameSource } from '../../core/sam2/frame-source';
import { encodeBinaryMaskPng } from '../../core/masks/png';
import { Sam2VideoPredictor } from '../../core/sam2/predictor';
import { decodeMask } from '../../core/masks/rle';
import { CROP_FLAGS, cropFrom, labelSetFrom, openLabeller, TEMPLATE_FLAG } from '../clip-flags';
import { LabelsError, type ZeroShotLabeller } from '../../core/labels';
import { OutputStaging } from '../../core/export/staging';
import type { AmgStats } from '../../api/contract';
import { emptyReason, funnelText, proposeThresholds, runThresholds } from '../../shared/amg-funnel';

/** flag → option, for the numeric knobs (all optional; defaults are the official ones). */
const NUMERIC: [string, keyof AmgOptions, string][] = [
  ['points-per-side', 'pointsPerSide', 'grid points along each side (default 32)'],
  ['points-per-batch', 'pointsPerBatch', 'points per mask-decoder call (default 64)'],
  ['pred-iou-thresh', 'predIouThresh', 'keep masks with predicted IoU above this (default 0.8; 0 = off)'],
  ['stability-score-thresh', 'stabilityScoreThresh', 'keep masks with stability score at least this (default 0.95; 0 = off)'],
  ['stability-score-offset', 'stabilityScoreOffset', 'logit offset of the stability score (default 1)'],
  ['mask-threshold', 'maskThreshold', 'logit cut-off of the masks (default 0)'],
  ['box-nms-thresh', 'boxNmsThresh', 'box IoU that makes two masks duplicates (default 0.7)'],
  ['crop-n-layers', 'cropNLayers', 'extra crop layers (default 0)'],
  ['crop-nms-thresh', 'cropNmsThresh', 'box IoU for duplicates between crops (default 0.7)'],
  ['crop-overlap-ratio', 'cropOverlapRatio', 'crop overlap as a fraction of the short side (default 512/1500)'],
  ['crop-n-points-downscale-factor', 'cropNPointsDownscaleFactor', 'points per side shrink by this per crop layer (default 1)'],
  ['min-mask-region-area', 'minMaskRegionArea', 'official SAM 2 clean-up: holes and islands up to this many low-res pixels (default 0 = off)'],
  ['postprocess-min-area', 'postprocessMinArea', 'SAM 1 clean-up: holes and islands under this many video pixels, then NMS (default 0 = off)'],
];

function optionsFrom(flags: ParsedFlags): Partial<AmgOptions> {
  const o: Partial<AmgOptions> = {};
  for (const [flag, key] of NUMERIC) if (flags[flag] !== undefined) (o as Record<string, unknown>)[key] = flags[flag];
  if (flags['use-m2m'] === true) o.useM2m = true;
  if (flags['single-mask'] === true) o.multimaskOutput = false;
  try {
    resolveAmgOptions(o);
  } catch (e) {
    if (e instanceof EngineError) throw new UsageError(flagNames(e.message));
    throw e;
  }
  return o;
}

/** "pointsPerSide must be ..." → "--points-per-side must be ..." */
function flagNames(message: string): string {
  return NUMERIC.reduce((m, [flag, key]) => m.replace(new RegExp(`\\b${key}\\b`), `--${flag}`), message);
}

function intFlag(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new UsageError(`--${name} must be an integer ≥ 0, got ${v}`);
  return v;
}

/** A frame folder is opened as is; of a video file only the one frame is decoded. */
async function openFrame(video: string, frame: number, signal: AbortSignal): Promise<{ source: FrameSource; index: number }> {
  let isDir: boolean;
  try {
    isDir = statSync(video).isDirectory();
  } catch {
    throw new UsageError(`--video ${video} does not exist`);
  }
  if (isDir) return { source: await FolderFrameSource.open(video), index: frame };
  return { source: new MemoryFrameSource([await readVideoFrame(video, frame, signal)], video), index: 0 };
}

/** The numbered proposal PNGs already in `dir` (an earlier run's, or someone else's: the staging tells). */
function numberedPngs(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => /^\d{3,}\.png$/.test(name));
  } catch {
    return [];
  }
}

/** Refuses before any work when names this command writes are taken by files it did not write. */
function checkOut(dir: string): Promise<void> {
  return OutputStaging.check(dir, [...numberedPngs(dir), 'proposals.json']);
}

/** What the run's funnel says: the funnel, and when nothing survived, why and what to try. */
function funnelReport(stats: AmgStats): { funnel: string; reason: string | null; suggestion: { predIouThresh: number; stabilityScoreThresh: number } | null } {
  const f = stats.funnel;
  return { funnel: funnelText(f), reason: emptyReason(f), suggestion: proposeThresholds(f, runThresholds(f)) };
}

export const segmentAllCommand: CliCommand = {
  name: 'segment-all',
  summary: 'Propose every object on one frame (SAM 2 automatic mask generation): one PNG per proposal, proposals.json',
  flags: {
    model: { type: 'path', required: true, help: 'model pack folder (maskline-sam2 or maskline-edgetam v1)' },
    video: { type: 'path', required: true, help: 'video file, or a folder of numbered JPEG/PNG frames' },
    frame: { type: 'number', required: true, help: 'frame index (0-based)' },
    out: { type: 'path', required: true, help: 'output folder: <index:03d>.png per proposal (largest first) and proposals.json' },
    ...Object.fromEntries(NUMERIC.map(([flag, , help]) => [flag, { type: 'number' as const, help }])),
    'use-m2m': { type: 'switch', help: 'refine every mask once with its own logits as mask prompt' },
    'single-mask': { type: 'switch', help: 'one mask per point (the single-mask rule) instead of the three multimask outputs' },
    provider: providerFlagSpec,
    threads: { type: 'number', help: 'onnxruntime threads per graph (default: number of cores)' },
    clip: { type: 'string', help: 'CLIP folder (transformers.js layout): label every proposal zero-shot' },
    labels: { type: 'string', help: 'with --clip: comma-separated labels, e.g. "cat,dog,car"' },
    template: TEMPLATE_FLAG,
    'clip-variant': { type: 'string', help: 'with --clip: fp32, fp16 or quantized (default fp32 when present)' },
    ...CROP_FLAGS,
    json: { type: 'switch', help: 'print the summary (counts, the funnel, why nothing survived and what to try) as JSON' },
  },
  async run(flags) {
    const provider = providerFlag(flags.provider);
    const frame = intFlag(flags.frame, 'frame')!;
    const threads = intFlag(flags.threads, 'threads');
    const options = optionsFrom(flags);
    const outDir = flags.out as string;
    if ((flags.clip === undefined) !== (flags.labels === undefined)) throw new UsageError('--clip and --labels go together');
    const labelSet = flags.labels !== undefined ? labelSetFrom(String(flags.labels), flags.template) : null;
    const crop = cropFrom(flags);
    const ac = new AbortController();
    const onSigint = () => ac.abort();
    process.once('SIGINT', onSigint);
    let predictor: Sam2VideoPredictor | null = null;
    let labeller: ZeroShotLabeller | null = null;
    try {
      await checkOut(outDir);
      // a bad CLIP folder fails before the long mask generation
      if (flags.clip !== undefined) labeller = await openLabeller(String(flags.clip), flags['clip-variant'], threads || undefined);
      const { source, index } = await openFrame(flags.video as string, frame, ac.signal);
      try {
        predictor = await Sam2VideoPredictor.create(flags.model as string, source, { provider, threads: threads || undefined });
      } catch (e) {
        await source.close();
        throw e;
      }
      console.error(
        `maskline segment-all: frame ${frame} of ${source.label} (${source.width}x${source.height}), ${predictor.pack.manifest.name}; ${describeProviders(predictor.stats().providers, predictor.stats().fallbackReason)}`,
      );
      let last = 0;
      const result = await generateMasks(predictorBackend(predictor), index, options, {
        signal: ac.signal,
        onProgress: (p) => {
          if (Date.now() - last > 2000 || p.done === p.total) {
            last = Date.now();
            console.error(`maskline segment-all: ${p.done}/${p.total} points${p.crops > 1 ? ` (crop ${p.crop + 1}/${p.crops})` : ''}`);
          }
        },
      });
      const masks = sortByArea(result.masks);
      const labels =
        labeller && labelSet
          ? await labeller.classifyMasks(
              await source.read(index),
              masks.map((m) => m.segmentation),
              labelSet,
              crop,
              ac.signal,
            )
          : null;
      const names = masks.map((_, i) => proposalFileName(i));
      const stale = numberedPngs(outDir).filter((n) => !names.includes(n));
      const staging = await OutputStaging.open(outDir, [...names, 'proposals.json', ...stale]);
      const json = {
        frame,
        video: flags.video,
        width: source.width,
        height: source.height,
        model: predictor.pack.manifest.name,
        options: snakeCase(result.options),
        stats: result.stats,
        ...(labeller && labelSet
          ? { clip: { model: labeller.model.folder.dir, variant: labeller.model.variant, labels: labelSet.labels, templates: labelSet.templates } }
          : {}),
        proposals: masks.map((m, i) => {
          const scored = labels?.[i];
          if (!labels) return toProposalJson(m, i);
          return {
            label: scored?.ranked[0]!.label ?? null,
            confidence: scored?.ranked[0]!.probability ?? null,
            top: scored?.ranked.slice(0, 3) ?? [],
            ...toProposalJson(m, i),
          };
        }),
      };
      try {
        await Promise.all(
          masks.map(async (m, i) => writeFile(staging.file(names[i]!), await encodeBinaryMaskPng(decodeMask(m.segmentation), source.width, source.height))),
        );
        await writeFile(staging.file('proposals.json'), JSON.stringify(json, null, 1));
        // proposal PNGs of an earlier run that this run did not overwrite would look like results
        for (const n of stale) staging.retire(n);
        await staging.commit();
      } catch (e) {
        await staging.discard();
        throw e;
      }
      const s = result.stats;
      const report = funnelReport(s);
      if (flags.json === true) {
        console.log(JSON.stringify({ frame, out: outDir, proposals: masks.length, ...report, stats: s }, null, 1));
        return 0;
      }
      console.log(
        `maskline segment-all: ${masks.length} proposals in ${(s.totalMs / 1000).toFixed(1)} s (${s.points} points, ${s.decodedMasks} masks decoded, ${s.passedFilters} passed the filters) → ${outDir}`,
      );
      console.log(`  ${report.funnel}`);
      if (report.reason) console.log(`  ${report.reason}`);
      if (report.suggestion)
        console.log(
          `  to let the best one through: --pred-iou-thresh ${report.suggestion.predIouThresh} --stability-score-thresh ${report.suggestion.stabilityScoreThresh}`,
        );
      return 0;
    } catch (e) {
      if ((e instanceof EngineError || e instanceof LabelsError) && e.code === 'CANCELLED') {
        console.error('maskline segment-all: cancelled');
        return 130;
      }
      throw e;
    } finally {
      process.removeListener('SIGINT', onSigint);
      await predictor?.dispose();
      await labeller?.dispose();
    }
  },
};

/** The options under the official generator's argument names. */
function snakeCase(o: AmgOptions): Record<string, number | boolean> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
}
