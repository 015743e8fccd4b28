// What the last CLIP labelling said about each object (label, confidence, the top labels and the
// frames whose crops were used), kept in the project's settings (key "labelInfo") so the UI can
// show which frames decided a label. Plain data.
import type { SettingsRepo } from '../store/settings';
import type { CropOptions } from './crops';
import type { Ranked } from './zero-shot';

export const LABEL_INFO_KEY = 'labelInfo';

export interface ObjectLabelInfo {
  label: string;
  confidence: number;
  top: Ranked[];
  frames: number[];
  model: string;
  /** the crop options used (records written before they were recorded have none) */
  crop?: CropOptions;
}

export function readLabelInfo(settings: SettingsRepo): Record<string, ObjectLabelInfo> {
  const v = settings.get<Record<string, ObjectLabelInfo>>(LABEL_INFO_KEY);
  return v && typeof v === 'object' ? v : {};
}

export function writeLabelInfo(settings: SettingsRepo, entries: Record<number, ObjectLabelInfo>): void {
  settings.set(LABEL_INFO_KEY, { ...readLabelInfo(settings), ...entries });
}
