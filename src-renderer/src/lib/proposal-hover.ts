// What the tip beside the pointer says about the segment-everything proposal under it (its CLIP
// label and confidence once the frame's proposals were labelled, and SAM's predicted IoU), and
// where the tip goes so it stays inside the frame view. Pure, table-tested.
import type { Proposal, ProposalLabel } from '$api/contract';

export interface HoverTip {
  /** "white square · 87.2 %", or "Proposal #4" before labelling */
  title: string;
  /** "IoU 0.93 · stability 0.95" (and the runner-up label when there is one) */
  detail: string;
}

/** 0.8723 → "87.2 %" (the Labels panel's format). */
export function percent(p: number): string {
  return `${(100 * p).toFixed(1)} %`;
}

export function proposalHoverText(p: Pick<Proposal, 'id' | 'predictedIou' | 'stabilityScore'>, label: ProposalLabel | undefined): HoverTip {
  const scores = `IoU ${p.predictedIou.toFixed(2)} · stability ${p.stabilityScore.toFixed(2)}`;
  if (!label) return { title: `Proposal #${p.id}`, detail: `${scores} · not labelled` };
  const next = label.top[1];
  return { title: `${label.label} · ${percent(label.confidence)}`, detail: next ? `${scores} · then ${next.label} ${percent(next.probability)}` : scores };
}

/**
 * Top-left of a w × h tip for the pointer at (x, y) in a view of vw × vh: below right of the
 * pointer by `gap`, flipped to the other side where it would leave the view, and never off its
 * top/left edge.
 */
export function tipPlacement(x: number, y: number, w: number, h: number, vw: number, vh: number, gap = 14): { left: number; top: number } {
  const left = x + gap + w <= vw ? x + gap : x - gap - w;
  const top = y + gap + h <= vh ? y + gap : y - gap - h;
  return { left: Math.max(0, left), top: Math.max(0, top) };
}
