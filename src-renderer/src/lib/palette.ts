// Object colours: 12 saturated hues that stay readable over video (no greys, no near-black,
// neighbours far apart in hue so objects 1…12 never look alike). The backend picks one on
// objects.add; the objects panel offers these swatches when the user changes it.
import type { Rgb } from './mask-raster';

export const PALETTE: readonly string[] = [
  '#ff4d4d', // red
  '#3ddc84', // green
  '#4f8cff', // blue
  '#ffd23f', // yellow
  '#ff5ee8', // magenta
  '#30e0e0', // cyan
  '#ff9a3c', // orange
  '#a66bff', // violet
  '#b6f23c', // lime
  '#ff7aa8', // pink
  '#2fb5a8', // teal
  '#c98a52', // tan
];

const HEX = /^#([0-9a-f]{6})$/i;

export function isHexColor(s: string): boolean {
  return HEX.test(s);
}

/** '#rrggbb' → [r, g, b]; anything else is an error naming the bad value. */
export function hexToRgb(hex: string): Rgb {
  const m = HEX.exec(hex);
  if (!m) throw new Error(`colour "${hex}" is not of the form #rrggbb`);
  const n = parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Black or white text, whichever reads better on `hex` (WCAG relative luminance). */
export function textOn(hex: string): '#000' | '#fff' {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = hexToRgb(hex);
  const L = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  // contrast with white = 1.05 / (L + 0.05); with black = (L + 0.05) / 0.05; equal at L ≈ 0.179
  return L > 0.179 ? '#000' : '#fff';
}
