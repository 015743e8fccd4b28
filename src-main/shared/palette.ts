// Object colours, shared by the store (a new object's default colour), the services and the
// renderer (which shows a kept proposal in the colour its object will get). New objects get the
// first palette colour no live object uses; when all are taken, the palette repeats. Pure: no
// Node, no DOM.

/** Distinct colours that stay readable over video; object n gets colour (n - 1) mod length. */
export const OBJECT_PALETTE = [
  '#e6194b',
  '#3cb44b',
  '#ffe119',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#46f0f0',
  '#f032e6',
  '#bcf60c',
  '#fabebe',
  '#008080',
  '#e6beff',
  '#9a6324',
  '#fffac8',
  '#800000',
  '#aaffc3',
];

export function paletteColor(id: number): string {
  return OBJECT_PALETTE[(Math.max(1, id) - 1) % OBJECT_PALETTE.length]!;
}

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
