// A project's label set lives in its settings table (key "labelSet", JSON { labels, templates,
// crop }): no schema change, and older projects simply have none (or no crop options: the
// defaults). The crop options are kept with the set because they decide what CLIP sees for it.
import type { SettingsRepo } from '../store/settings';
import { DEFAULT_CROP, resolveCropOptions, type CropOptions } from './crops';
import { DEFAULT_TEMPLATE, normalizeLabelSet, type LabelSet } from './zero-shot';

export const LABEL_SET_KEY = 'labelSet';

interface StoredLabelSet extends LabelSet {
  crop?: Partial<CropOptions>;
}

/** The stored label set, or an empty one (no labels, the default template). */
export function readLabelSet(settings: SettingsRepo): LabelSet {
  const v = settings.get<Partial<StoredLabelSet>>(LABEL_SET_KEY);
  const labels = Array.isArray(v?.labels) ? v.labels.filter((l): l is string => typeof l === 'string') : [];
  const templates = Array.isArray(v?.templates) ? v.templates.filter((t): t is string => typeof t === 'string') : [];
  return { labels, templates: templates.length ? templates : [DEFAULT_TEMPLATE] };
}

/**
 * The crop options saved with the label set; the defaults where none were saved, or where a
 * saved value no longer passes the checks (an edited database): a bad crop never blocks labelling.
 */
export function readLabelCrop(settings: SettingsRepo): CropOptions {
  const c = settings.get<Partial<StoredLabelSet>>(LABEL_SET_KEY)?.crop;
  if (!c || typeof c !== 'object') return { ...DEFAULT_CROP };
  const picked: Partial<CropOptions> = {};
  if (typeof c.margin === 'number') picked.margin = c.margin;
  if (typeof c.greyOutside === 'boolean') picked.greyOutside = c.greyOutside;
  if (typeof c.padSquare === 'boolean') picked.padSquare = c.padSquare;
  try {
    return resolveCropOptions(picked);
  } catch {
    return { ...DEFAULT_CROP };
  }
}

/**
 * Validates (normalizeLabelSet) and stores; an empty label list is allowed and clears the set.
 * The crop options saved with the set stay as they are.
 */
export function writeLabelSet(settings: SettingsRepo, labels: readonly string[], templates: readonly string[]): LabelSet {
  const set = labels.some((l) => l.trim()) ? normalizeLabelSet(labels, templates) : { labels: [], templates: normalizeLabelSet(['x'], templates).templates };
  settings.set(LABEL_SET_KEY, { ...set, crop: readLabelCrop(settings) });
  return set;
}

/** Validates (resolveCropOptions: BAD_CROP) and stores the crop options beside the label set. */
export function writeLabelCrop(settings: SettingsRepo, crop: Partial<CropOptions>): CropOptions {
  const resolved = resolveCropOptions(crop);
  settings.set(LABEL_SET_KEY, { ...readLabelSet(settings), crop: resolved });
  return resolved;
}
