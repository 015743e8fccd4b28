// Binary masks as 8-bit greyscale PNG (0 / 255), for the CLI's per-object frame files.
import { PNG } from 'pngjs';

export function encodeMaskPng(mask: Uint8Array, width: number, height: number): Buffer {
  if (mask.length !== width * height) throw new Error(`encodeMaskPng: ${mask.length} values for ${width}x${height}`);
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  const data = Buffer.alloc(width * height);
  for (let i = 0; i < mask.length; i++) data[i] = mask[i] ? 255 : 0;
  png.data = data;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
}
