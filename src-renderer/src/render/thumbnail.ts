// A candidate mask as a small picture: the frame scaled down with the mask painted over it.
import type { Rle } from '$api/contract';
import { paintMask, rleToMask, type Rgb } from '../lib/mask-raster';

export function drawMaskThumbnail(canvas: HTMLCanvasElement, frame: ImageBitmap | undefined, rle: Rle, color: Rgb): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.fillStyle = '#0b0c0e';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  if (frame) ctx.drawImage(frame, 0, 0, canvas.width, canvas.height);
  let mask: Uint8Array;
  try {
    mask = rleToMask(rle);
  } catch {
    return;
  }
  const off = new OffscreenCanvas(rle.w, rle.h);
  const octx = off.getContext('2d');
  if (!octx) return;
  const rgba = paintMask(mask, rle.w, rle.h, { color, opacity: 0.6, outlineOnly: false, outline: false });
  octx.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, rle.w, rle.h), 0, 0);
  ctx.drawImage(off, 0, 0, canvas.width, canvas.height);
}
