// Known masks for the export tests: shapes drawn into 0/1 bitmaps.

export function disc(w: number, h: number, cx: number, cy: number, r: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r) out[y * w + x] = 1;
  return out;
}

export function rect(w: number, h: number, x0: number, y0: number, x1: number, y1: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = Math.max(0, y0); y < Math.min(h, y1); y++) for (let x = Math.max(0, x0); x < Math.min(w, x1); x++) out[y * w + x] = 1;
  return out;
}

export function union(...masks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(masks[0]!.length);
  for (const m of masks) for (let i = 0; i < m.length; i++) if (m[i]) out[i] = 1;
  return out;
}

/** Deterministic blobby noise mask (a seeded random walk of discs), for shapes with ragged edges. */
export function blobs(w: number, h: number, seed: number, count = 12): Uint8Array {
  let s = seed >>> 0;
  const rnd = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const parts: Uint8Array[] = [];
  for (let i = 0; i < count; i++) parts.push(disc(w, h, rnd() * w, rnd() * h, 2 + rnd() * Math.min(w, h) * 0.15));
  return union(...parts);
}
