// A project's label set lives in its settings table (key "labelSet", JSON { labels, templates }):
// no schema change, and older projects simply have none.
import type { SettingsRepo } from '../store/settings';
import { DEFAULT_TEMPLATE, normalizeLabelSet, type LabelSet } from './zero-shot';

export const LABEL_SET_KEY = 'labelSet';

/** The stored label set, or an empty one (no labels, the default template). */
export function readLabelSet(settings: SettingsRepo): LabelSet {
  const v = settings.get<Partial<LabelSet>>(LABEL_SET_KEY);
  const labels = Array.isArray(v?.labels) ? v.labels.filter((l): l is string => typeof l === 'string') : [];
  const templates = Array.isArray(v?.templates) ? v.templates.filter((t): t is string => typeof t === 'string') : [];
  return { labels, templates: templates.length ? templates : [DEFAULT_TEMPLATE] };
}

/** Validates (normalizeLabelSet) and stores; an empty label list is allowed and clears the set. */
export function writeLabelSet(settings: SettingsRepo, labels: readonly string[], templates: readonly string[]): LabelSet {
  const set = labels.some((l) => l.trim()) ? normalizeLabelSet(labels, templates) : { labels: [], templates: normalizeLabelSet(['x'], templates).templates };
  settings.set(LABEL_SET_KEY, set);
  return set;
}
