// Which label model and variant labelling uses, as the SAM pack choice (engine-choice.ts): the
// open project's remembered choice when it is still installed and usable, else the app's last
// choice (label-models/active.json), else the first usable model. Pure, table-tested.
import type { LabelModelSummary, LabelModelVariant } from '../api/contract';

export interface LabelModelChoice {
  id: string;
  variant: LabelModelVariant;
}

/** Full precision first: fp32 is what the model was validated against; the others trade accuracy for size/speed. */
export const VARIANT_PREFERENCE: readonly LabelModelVariant[] = ['fp32', 'fp16', 'quantized'];

/** The wanted variant when the model has it, else the first it has in VARIANT_PREFERENCE order; null when it has none. */
export function pickVariant(available: readonly LabelModelVariant[], wanted: LabelModelVariant | null): LabelModelVariant | null {
  if (wanted && available.includes(wanted)) return wanted;
  return VARIANT_PREFERENCE.find((v) => available.includes(v)) ?? null;
}

/**
 * The model labelling uses. A remembered model that is gone or broken is passed over; a
 * remembered variant that is gone falls back to the model's best variant (pickVariant).
 */
export function chooseLabelModel(
  models: readonly LabelModelSummary[],
  project: LabelModelChoice | null,
  app: LabelModelChoice | null,
): LabelModelChoice | null {
  const usable = models.filter((m) => !m.problem && m.variants.length > 0);
  for (const want of [project, app]) {
    const m = want ? usable.find((x) => x.id === want.id) : undefined;
    const variant = m ? pickVariant(m.variants, want!.variant) : null;
    if (m && variant) return { id: m.id, variant };
  }
  const first = usable[0];
  return first ? { id: first.id, variant: pickVariant(first.variants, null)! } : null;
}

/** A stored choice read back (settings, active.json): the shape checked, else null. */
export function asLabelModelChoice(v: unknown): LabelModelChoice | null {
  const c = v as Partial<LabelModelChoice> | null;
  if (!c || typeof c !== 'object' || typeof c.id !== 'string' || !VARIANT_PREFERENCE.includes(c.variant as LabelModelVariant)) return null;
  return { id: c.id, variant: c.variant as LabelModelVariant };
}
