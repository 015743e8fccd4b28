// JPEG/PNG file → RGB uint8 (alpha dropped without compositing, as PIL's convert('RGB')).
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { RgbFrame } from './preprocess';

export function decodeImage(buf: Buffer, name: string): RgbFrame {
  const lower = name.toLowerCase();
  if (lower.endsWith('.png')) {
    const png = PNG.sync.read(buf);
    const n = png.width * png.height;
    const rgb = new Uint8Array(n * 3);
    for (let i = 0; i < n; i++) {
      rgb[i * 3] = png.data[i * 4]!;
      rgb[i * 3 + 1] = png.data[i * 4 + 1]!;
      rgb[i * 3 + 2] = png.data[i * 4 + 2]!;
    }
    return { width: png.width, height: png.height, data: rgb };
  }
  const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 2048, maxResolutionInMP: 400 });
  return { width: img.width, height: img.height, data: img.data as Uint8Array };
}
