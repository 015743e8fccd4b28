// What each model family means to a user choosing a pack (issue 17): published accuracy and the
// trade-off in words. Speed is not stated here: it is measured on this machine (pack-speed.ts).
import type { ModelFamilyInfo } from '../../api/contract';
import { PACK_FORMATS, type ModelFamily } from '../sam2/manifest';

const FAMILIES: Record<ModelFamily, ModelFamilyInfo> = {
  sam2: {
    id: 'sam2',
    label: 'SAM 2.1',
    meaning: 'The accurate choice: Meta’s SAM 2.1 video tracker. On a CPU a tracked frame takes seconds (Hiera encoder, 4,096 memory tokens per stored frame); best with a GPU or for short clips.',
    accuracy: 'SA-V test J&F 76.5 (SAM 2.1 Hiera Tiny, published)',
  },
  edgetam: {
    id: 'edgetam',
    label: 'EdgeTAM',
    meaning: 'The fast choice: SAM 2’s tracker with a CNN encoder and memories compressed to 512 tokens, about 5–7× faster per tracked frame on a CPU. Less accurate than SAM 2.1; masks may need more corrections.',
    accuracy: 'SA-V test J&F 71.7 (EdgeTAM, published)',
  },
};

/** The family of a model.json's `format`, or null for a format this version does not read. */
export function familyOfFormat(format: unknown): ModelFamily | null {
  return (Object.keys(PACK_FORMATS) as ModelFamily[]).find((f) => PACK_FORMATS[f] === format) ?? null;
}

export function familyInfo(family: ModelFamily): ModelFamilyInfo {
  return FAMILIES[family];
}

/**
 * What switching a project's pack to another family does, said before the switch: memories of
 * one family mean nothing to the other, so only what the user made by hand carries over.
 */
export function familySwitchNotice(from: ModelFamily, to: ModelFamily): string | null {
  if (from === to) return null;
  const a = FAMILIES[from].label;
  const b = FAMILIES[to].label;
  return (
    `${a} and ${b} memories are incompatible. Switching keeps every prompt and every prompted (confirmed) mask: ` +
    `prompted frames are recomputed with ${b}. Masks propagated with ${a} stay as they are until you propagate again, ` +
    `which re-tracks them with ${b}.`
  );
}
