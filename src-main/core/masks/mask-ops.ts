// Pixel operations between two 0/1 masks of the same size. Pure.

/** `a` without the pixels of `b`, or null when they do not overlap (nothing to change). */
export function subtractMask(a: Uint8Array, b: Uint8Array): Uint8Array | null {
  if (a.length !== b.length) throw new Error(`masks differ in size: ${a.length} and ${b.length} pixels`);
  let overlap = false;
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] && b[i]) overlap = true;
    else if (a[i]) out[i] = 1;
  }
  return overlap ? out : null;
}
