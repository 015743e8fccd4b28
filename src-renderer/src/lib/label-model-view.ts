// The label-model rows of the Models screen, as pure decisions: what each variant option says,
// which variant a row's picker shows, and why a model cannot be removed from the app. Table-tested.
import type { LabelModelSummary, LabelModelVariant } from '$api/contract';
import { formatBytes } from './format';

const VARIANT_NAMES: Record<LabelModelVariant, string> = { fp32: 'fp32 (full precision)', fp16: 'fp16 (half precision)', quantized: 'quantized (8-bit)' };

/** "quantized (8-bit) · 12.3 MB": the variant and the size of its two graphs. */
export function variantOption(m: LabelModelSummary, v: LabelModelVariant): string {
  const bytes = m.variantBytes[v];
  return bytes ? `${VARIANT_NAMES[v]} · ${formatBytes(bytes)}` : VARIANT_NAMES[v];
}

/**
 * The variant a row's picker shows: the active one on the active model, else what was picked on
 * that row (when the model has it), else the model's first (fp32 first).
 */
export function rowVariant(
  m: LabelModelSummary,
  active: { id: string; variant: LabelModelVariant } | null,
  picked: LabelModelVariant | undefined,
): LabelModelVariant | null {
  if (active?.id === m.id && m.variants.includes(active.variant)) return active.variant;
  if (picked && m.variants.includes(picked)) return picked;
  return m.variants[0] ?? null;
}

/** Why Remove is off for this model, or null when the app may delete it (only what it imported). */
export function removeBlocked(m: LabelModelSummary): string | null {
  return m.installedByApp ? null : `Put into ${m.dir} by hand, not imported by Maskline: remove that folder yourself.`;
}
