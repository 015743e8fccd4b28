// New objects get the first palette colour no live object uses (colours readable over video,
// store/objects OBJECT_PALETTE); when all are taken, the palette repeats. Pure.
import { OBJECT_PALETTE } from '../../core/store';

export function nextObjectColor(used: readonly string[], palette: readonly string[] = OBJECT_PALETTE): string {
  const taken = new Set(used.map((c) => c.toLowerCase()));
  return palette.find((c) => !taken.has(c.toLowerCase())) ?? palette[used.length % palette.length]!;
}
