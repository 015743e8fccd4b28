// New objects get the first palette colour no live object uses (colours readable over video,
// store/objects OBJECT_PALETTE); when all are taken, the palette repeats. Pure, and free of
// Node and DOM (imported straight from store/objects, not the store's index), so the renderer
// can show a kept proposal in the colour its object will get.
import { OBJECT_PALETTE } from '../../core/store/objects';

export function nextObjectColor(used: readonly string[], palette: readonly string[] = OBJECT_PALETTE): string {
  const taken = new Set(used.map((c) => c.toLowerCase()));
  return palette.find((c) => !taken.has(c.toLowerCase())) ?? palette[used.length % palette.length]!;
}

/** The colours of `n` objects made one after another (segment.keep), each taking the next free one. */
export function nextObjectColors(used: readonly string[], n: number, palette: readonly string[] = OBJECT_PALETTE): string[] {
  const all = [...used];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = nextObjectColor(all, palette);
    out.push(c);
    all.push(c);
  }
  return out;
}
