// The frame's pointer input while the Segment everything panel is open: a click keeps or drops
// the proposal under the pointer (right click only drops), hovering highlights it, and any
// drag pans the view instead (no boxes here). Which proposal a pixel means comes from a hit map
// (lib/proposal-view) computed once per proposal list and view mode, not per pointer move.
import type { Proposal } from '$api/contract';
import type { FrameTool } from '../lib/frame-tool';
import { travelled, type PressInfo } from '../lib/gesture';
import { hitMap, proposalAt } from '../lib/proposal-view';
import type { SegmentState } from './segment.svelte';

export class SegmentTool implements FrameTool {
  #press: { button: number; sx: number; sy: number; modified: boolean } | null = null;
  #map: { proposals: Proposal[]; labels: boolean; map: Int32Array } | null = null;

  constructor(private readonly seg: SegmentState) {}

  press(p: PressInfo, sx: number, sy: number): void {
    this.#press = { button: p.button, sx, sy, modified: Boolean(p.ctrlKey || p.metaKey) };
  }

  move(sx: number, sy: number): 'pan' | null {
    const p = this.#press;
    if (!p || !travelled(sx - p.sx, sy - p.sy)) return null;
    this.#press = null;
    return 'pan';
  }

  release(_sx: number, _sy: number, image: [number, number]): void {
    const p = this.#press;
    this.#press = null;
    if (!p || p.modified) return;
    const hit = this.at(image);
    if (!hit) return;
    if (p.button === 2) this.seg.drop(hit.id);
    else this.seg.toggleKeep(hit.id);
  }

  cancelPress(): void {
    this.#press = null;
  }

  hover(image: [number, number] | null): void {
    const id = image ? (this.at(image)?.id ?? null) : null;
    this.seg.hover(id, image);
  }

  /** The proposal a click at video pixel `image` means on the current frame. */
  at(image: [number, number]): Proposal | null {
    const ps = this.seg.proposals;
    if (!ps.length) return null;
    const { w, h } = this.seg.size;
    const labels = this.seg.labelView;
    if (this.#map?.proposals !== ps || this.#map.labels !== labels) this.#map = { proposals: ps, labels, map: hitMap(ps, h, w, labels) };
    return proposalAt(this.#map.map, ps, w, h, image[0], image[1]);
  }
}
