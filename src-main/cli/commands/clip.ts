// `maskline clip`: the zero-shot step alone: per image, the probabilities over the labels
// (CLIP, prompts from a template, softmax). Used by tests and scripts; see docs/labels.md.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../args';
import type { CliCommand } from '../command';
import { CLIP_VARIANT_FLAG, labelSetFrom, openLabeller, TEMPLATE_FLAG } from '../clip-flags';
import { decodeImage } from '../../core/sam2/image-decode';

export const clipCommand: CliCommand = {
  name: 'clip',
  summary: 'Zero-shot label images with a CLIP folder: per image, probabilities over the labels',
  flags: {
    model: { type: 'string', required: true, help: 'CLIP folder in the transformers.js layout (e.g. Xenova/clip-vit-base-patch32)' },
    images: { type: 'string', required: true, help: 'comma-separated JPEG/PNG files' },
    labels: { type: 'string', required: true, help: 'comma-separated labels, e.g. "cat,dog,car"' },
    template: TEMPLATE_FLAG,
    json: { type: 'switch', help: 'print JSON instead of a table' },
    variant: CLIP_VARIANT_FLAG,
    threads: { type: 'number', help: 'onnxruntime threads (default: number of cores)' },
  },
  async run(flags) {
    const set = labelSetFrom(String(flags.labels), flags.template);
    const paths = String(flags.images)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!paths.length) throw new UsageError('--images needs at least one file');
    const images = paths.map((p) => {
      let buf: Buffer;
      try {
        buf = readFileSync(resolve(p));
      } catch (e) {
        throw new UsageError(`--images: cannot read ${p} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      try {
        return decodeImage(buf, p);
      } catch (e) {
        throw new UsageError(`--images: ${p} is not a JPEG or PNG image (${(e as Error).message})`);
      }
    });
    const labeller = await openLabeller(String(flags.model), flags.variant, flags.threads as number | undefined);
    try {
      const scored = await labeller.classifyImages(images, set);
      if (flags.json === true) {
        const m = labeller.model;
        const out = {
          model: m.folder.dir,
          variant: m.variant,
          logit_scale: m.logitScale,
          labels: set.labels,
          templates: set.templates,
          images: paths.map((p, i) => ({
            path: p,
            label: scored[i]!.ranked[0]!.label,
            confidence: scored[i]!.ranked[0]!.probability,
            probs: Object.fromEntries(set.labels.map((l, j) => [l, scored[i]!.probs[j]!])),
          })),
        };
        console.log(JSON.stringify(out, null, 1));
      } else {
        for (const [i, p] of paths.entries()) {
          console.log(`${p}: ${scored[i]!.ranked.map((r) => `${r.label} ${r.probability.toFixed(4)}`).join(', ')}`);
        }
      }
      return 0;
    } finally {
      await labeller.dispose();
    }
  },
};
