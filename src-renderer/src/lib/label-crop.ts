// The crop options of the Labels panel, as pure decisions: the margin field in percent (the API
// takes a fraction) and a short summary of what a labelling used. Table-tested.
import type { LabelCrop } from '$api/contract';

/** The margin field's value (percent of the box per side) → the API's fraction; null when not a number in 0…200. */
export function marginFromPercent(text: string | number): number | null {
  const v = typeof text === 'number' ? text : Number(String(text).trim());
  if (String(text).trim() === '' || !Number.isFinite(v) || v < 0 || v > 200) return null;
  return Math.round(v * 100) / 10_000;
}

export function marginPercent(c: LabelCrop): number {
  return Math.round(c.margin * 10_000) / 100;
}

/** "tight box, padded to square" / "margin 10 %, grey outside, not padded" */
export function cropSummary(c: LabelCrop): string {
  return [
    c.margin > 0 ? `margin ${marginPercent(c)} %` : 'tight box',
    ...(c.greyOutside ? ['grey outside'] : []),
    c.padSquare ? 'padded to square' : 'not padded',
  ].join(', ');
}
