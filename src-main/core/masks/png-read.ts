// A PNG reader for mask images (the counterpart of png.ts): 8-bit greyscale, grey+alpha, RGB,
// RGBA and indexed colour, and 1/2/4-bit greyscale or indexed (binary masks saved as 1-bit),
// not interlaced. Every chunk's CRC is checked and the image data must inflate to exactly the
// scanlines the header promises, so a truncated or damaged file is refused with the reason
// instead of being read as a partly empty mask.
import { crc32, inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export interface DecodedPng {
  width: number;
  height: number;
  /** one value per pixel: the grey level or palette index; for RGB(A) the largest colour channel */
  values: Uint8Array;
  /** 3: the values are palette indices */
  colorType: number;
}

export class PngReadError extends Error {}

export function decodePng(buf: Uint8Array): DecodedPng {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  if (b.length < 8 || !b.subarray(0, 8).equals(SIGNATURE)) throw new PngReadError('not a PNG file (bad signature)');
  let p = 8;
  let ihdr: Buffer | null = null;
  const idat: Buffer[] = [];
  let ended = false;
  while (p < b.length) {
    if (p + 12 > b.length) throw new PngReadError(`truncated: a chunk header at byte ${p} is cut off`);
    const len = b.readUInt32BE(p);
    const type = b.toString('latin1', p + 4, p + 8);
    if (p + 12 + len > b.length) throw new PngReadError(`truncated: chunk ${type} at byte ${p} needs ${len} bytes, the file ends first`);
    const data = b.subarray(p + 8, p + 8 + len);
    if (crc32(b.subarray(p + 4, p + 8 + len)) !== b.readUInt32BE(p + 8 + len)) throw new PngReadError(`damaged: chunk ${type} at byte ${p} fails its CRC`);
    if (type === 'IHDR') ihdr = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') {
      ended = true;
      break;
    }
    p += 12 + len;
  }
  if (!ihdr) throw new PngReadError('no IHDR chunk');
  if (!ended) throw new PngReadError('truncated: the file ends before its IEND chunk');
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const depth = ihdr[8]!;
  const colorType = ihdr[9]!;
  const channels = CHANNELS[colorType];
  if (!channels) throw new PngReadError(`unknown colour type ${colorType}`);
  if (ihdr[12] !== 0) throw new PngReadError('interlaced PNGs are not supported; save it without interlacing');
  const lowDepth = (colorType === 0 || colorType === 3) && [1, 2, 4].includes(depth);
  if (depth !== 8 && !lowDepth) throw new PngReadError(`bit depth ${depth} with colour type ${colorType} is not supported (8-bit, or 1/2/4-bit grey/indexed)`);
  if (width < 1 || height < 1) throw new PngReadError(`empty image (${width}×${height})`);
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch (err) {
    throw new PngReadError(`truncated or damaged image data (${(err as Error).message})`);
  }
  const bpp = Math.max(1, (channels * depth) / 8);
  const stride = Math.ceil((width * channels * depth) / 8);
  if (raw.length !== (stride + 1) * height) throw new PngReadError(`image data holds ${raw.length} bytes, ${width}×${height} needs ${(stride + 1) * height}`);
  const rows = unfilter(raw, stride, height, bpp);
  const values = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    for (let x = 0; x < width; x++) {
      let v: number;
      if (depth < 8) {
        const bit = x * depth;
        v = (rows[row + (bit >> 3)]! >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
        // 1/2/4-bit grey: scale to 0..255 so "any non-zero" and 255 mean the same as at 8 bits
        if (colorType === 0) v = Math.round((v * 255) / ((1 << depth) - 1));
      } else if (channels <= 2) v = rows[row + x * channels]!;
      else {
        const o = row + x * channels;
        v = Math.max(rows[o]!, rows[o + 1]!, rows[o + 2]!);
      }
      values[y * width + x] = v;
    }
  }
  return { width, height, values, colorType };
}

/** Undoes PNG's per-row filters (none, sub, up, average, Paeth). */
function unfilter(raw: Buffer, stride: number, height: number, bpp: number): Uint8Array {
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    const up = dst - stride;
    for (let i = 0; i < stride; i++) {
      const x = raw[src + i]!;
      const a = i >= bpp ? out[dst + i - bpp]! : 0;
      const b = y > 0 ? out[up + i]! : 0;
      const c = y > 0 && i >= bpp ? out[up + i - bpp]! : 0;
      let v: number;
      switch (f) {
        case 0:
          v = x;
          break;
        case 1:
          v = x + a;
          break;
        case 2:
          v = x + b;
          break;
        case 3:
          v = x + ((a + b) >> 1);
          break;
        case 4: {
          const pa = Math.abs(b - c),
            pb = Math.abs(a - c),
            pc = Math.abs(a + b - 2 * c);
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          throw new PngReadError(`row ${y} has an unknown filter type ${f}`);
      }
      out[dst + i] = v & 0xff;
    }
  }
  return out;
}
