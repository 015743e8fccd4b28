// The PASCAL VOC / DAVIS label palette: index i's bits are dealt round-robin to R, G, B from
// the most significant bit down, so 0 is black, 1 (128,0,0), 2 (0,128,0), 3 (128,128,0),
// 4 (0,0,128) ... DAVIS annotation PNGs carry all 256 entries, and tools that read them
// (davis2017-evaluation, PIL's getpalette) expect exactly this table.

function build(): Uint8Array {
  const out = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    let c = i;
    let r = 0;
    let g = 0;
    let b = 0;
    for (let bit = 7; bit >= 0; bit--) {
      r |= (c & 1) << bit;
      g |= ((c >> 1) & 1) << bit;
      b |= ((c >> 2) & 1) << bit;
      c >>= 3;
    }
    out[i * 3] = r;
    out[i * 3 + 1] = g;
    out[i * 3 + 2] = b;
  }
  return out;
}

export const DAVIS_PALETTE: Readonly<Uint8Array> = build();

/** The palette colour of `index` as [r, g, b]. */
export function paletteColor(index: number): [number, number, number] {
  return [DAVIS_PALETTE[index * 3]!, DAVIS_PALETTE[index * 3 + 1]!, DAVIS_PALETTE[index * 3 + 2]!];
}
