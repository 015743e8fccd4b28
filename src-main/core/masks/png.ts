// A small PNG writer for the two image kinds Maskline writes: 8-bit greyscale (binary masks 0/255)
// and 8-bit indexed colour with a palette (DAVIS label maps). Our own rather than pngjs because
// masks are painted straight into the filtered scanline buffer (no RGBA detour) and every row
// uses filter 0: mask rows are flat runs that deflate's matching already compresses well, so
// the per-row filter search pngjs does costs time and gains nothing here.
import { crc32, deflate, deflateSync, constants } from 'node:zlib';
import { promisify } from 'node:util';

const deflateAsync = promisify(deflate);
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Scanlines as PNG stores them before compression: each row is one filter-type byte (0 = none)
 * followed by `width` samples. Paint pixel (x, y) at `y * (width + 1) + 1 + x`.
 */
export function blankScanlines(width: number, height: number): Buffer {
  return Buffer.alloc((width + 1) * height);
}

export interface PngImage {
  width: number;
  height: number;
  /** from blankScanlines, one byte per pixel */
  scanlines: Buffer;
  /** RGB triplets; present = indexed colour (type 3), absent = greyscale (type 0) */
  palette?: Uint8Array;
}

// Z_RLE (only run matches): masks are long runs of one value, which RLE matching finds at a
// tenth of the default level's time and, on masks, in smaller files than level 6 (export
// benchmark, 1080p mask: 0.9 ms and 4.0 kB against 8.3 ms and 4.8 kB).
const DEFLATE = { level: 1, strategy: constants.Z_RLE };

export function encodePngSync(img: PngImage): Buffer {
  return assemble(img, deflateSync(checked(img), DEFLATE));
}

/** Same bytes as encodePngSync, compressed on libuv's thread pool so several frames encode at once. */
export async function encodePng(img: PngImage): Promise<Buffer> {
  return assemble(img, await deflateAsync(checked(img), DEFLATE));
}

function checked(img: PngImage): Buffer {
  const { width, height, scanlines, palette } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`PNG size must be positive integers, got ${width}×${height}`);
  }
  if (scanlines.length !== (width + 1) * height) {
    throw new Error(`PNG scanlines hold ${scanlines.length} bytes, expected ${(width + 1) * height}`);
  }
  if (palette && (palette.length % 3 !== 0 || palette.length === 0 || palette.length > 768)) {
    throw new Error(`PNG palette must hold 1..256 RGB entries, got ${palette.length} bytes`);
  }
  return scanlines;
}

function assemble(img: PngImage, idat: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(img.width, 0);
  ihdr.writeUInt32BE(img.height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = img.palette ? 3 : 0; // colour type: indexed or greyscale
  // bytes 10..12: deflate compression, adaptive filtering, no interlace: all 0
  const parts = [SIGNATURE, chunk('IHDR', ihdr)];
  if (img.palette) parts.push(chunk('PLTE', Buffer.from(img.palette.buffer, img.palette.byteOffset, img.palette.length)));
  parts.push(chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A 0/1 (or 0/255) mask of width × height as a greyscale PNG holding 0 and 255. */
export function encodeBinaryMaskPng(mask: Uint8Array, width: number, height: number): Promise<Buffer> {
  if (mask.length !== width * height) throw new Error(`mask holds ${mask.length} values for ${width}×${height}`);
  const scanlines = blankScanlines(width, height);
  for (let y = 0, i = 0; y < height; y++) {
    const row = y * (width + 1) + 1;
    for (let x = 0; x < width; x++, i++) if (mask[i]) scanlines[row + x] = 255;
  }
  return encodePng({ width, height, scanlines });
}
