// Flags shared by the commands that label with CLIP (clip, segment-all --clip, label): the
// CLIP folder, the label list, the template(s), and the crop options.
import { resolve } from 'node:path';
import { UsageError, type FlagSpec, type ParsedFlags } from './args';
import {
  ClipModel,
  DEFAULT_TEMPLATE,
  LabelsError,
  normalizeLabelSet,
  splitLabels,
  ZeroShotLabeller,
  type ClipVariant,
  type CropOptions,
  type LabelSet,
} from '../core/labels';

export const CLIP_VARIANT_FLAG: FlagSpec = { type: 'string', help: 'graph variant: fp32, fp16 or quantized (default: fp32 when present)' };
export const TEMPLATE_FLAG: FlagSpec = {
  type: 'string',
  help: `prompt template with {label} (default "${DEFAULT_TEMPLATE}"); several separated by | are averaged`,
};
export const CROP_FLAGS: Record<string, FlagSpec> = {
  'crop-margin': { type: 'number', help: 'border around the mask box, a fraction of its size per side (default 0)' },
  'grey-outside': { type: 'switch', help: 'grey out the pixels outside the mask in each crop' },
  'no-square': { type: 'switch', help: 'do not pad crops to a square (the tutorial crop exactly)' },
};

export function labelSetFrom(labels: string, template: unknown): LabelSet {
  const templates = typeof template === 'string' ? template.split('|') : [DEFAULT_TEMPLATE];
  try {
    return normalizeLabelSet(splitLabels(labels), templates);
  } catch (e) {
    if (e instanceof LabelsError) throw new UsageError(e.message);
    throw e;
  }
}

export function cropFrom(flags: ParsedFlags): Partial<CropOptions> {
  const o: Partial<CropOptions> = {};
  if (flags['crop-margin'] !== undefined) o.margin = flags['crop-margin'] as number;
  if (flags['grey-outside'] === true) o.greyOutside = true;
  if (flags['no-square'] === true) o.padSquare = false;
  return o;
}

export async function openLabeller(dir: string, variant: unknown, threads?: number): Promise<ZeroShotLabeller> {
  if (variant !== undefined && variant !== 'fp32' && variant !== 'fp16' && variant !== 'quantized')
    throw new UsageError(`--variant must be fp32, fp16 or quantized, got ${String(variant)}`);
  // the CLI's user path is relative to the user's shell, which is this process's working directory
  return new ZeroShotLabeller(await ClipModel.open(resolve(dir), { variant: variant as ClipVariant | undefined, threads }));
}
