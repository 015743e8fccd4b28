// `masks/<objectId>/<frame:05d>.png`: one 8-bit greyscale PNG per exported object and frame,
// 255 inside the mask and 0 outside. By default every frame of the range gets a file, all black
// where the object has no mask, so each folder is a complete sequence aligned with the video
// (what dataset tools expect); `png.skipEmpty` leaves those frames out.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportFrame } from '../export-frame';
import { paintRle } from '../rle-paint';
import { blankScanlines, encodePng, encodePngSync } from '../../masks/png';
import { TaskPool } from '../task-pool';
import { OUTPUT_NAMES, frameStem } from '../types';
import type { FormatWriter, WriterContext } from './writer';

/** PNGs compressing at once: libuv's pool has 4 threads; a few more keep it fed. */
export const PNG_IN_FLIGHT = 6;

export async function createMaskPngWriter(ctx: WriterContext): Promise<FormatWriter> {
  const { width: w, height: h } = ctx.source.video;
  const root = await ctx.staging.folder(OUTPUT_NAMES.png);
  const dirs = new Map<number, string>();
  for (const o of ctx.plan.objects) {
    const dir = join(root, String(o.id));
    await mkdir(dir);
    dirs.set(o.id, dir);
  }
  // frames without the object all share these bytes
  const empty = encodePngSync({ width: w, height: h, scanlines: blankScanlines(w, h) });
  const pool = new TaskPool(PNG_IN_FLIGHT);
  let fileCount = 0;

  return {
    get fileCount() {
      return fileCount;
    },
    async frame(f: ExportFrame) {
      const name = `${frameStem(f.frame)}.png`;
      for (const o of ctx.plan.objects) {
        const file = join(dirs.get(o.id)!, name);
        const mask = f.masks.find((m) => m.objectId === o.id);
        if (!mask && ctx.plan.skipEmptyPngs) continue;
        fileCount++;
        if (!mask) {
          await pool.add(() => ctx.fs.writeFile(file, empty));
          continue;
        }
        const scanlines = blankScanlines(w, h);
        paintRle(mask.rle, scanlines, 255, w + 1, 1);
        await pool.add(async () => ctx.fs.writeFile(file, await encodePng({ width: w, height: h, scanlines })));
      }
    },
    finish: () => pool.drain(),
    abort: () => pool.settle(),
  };
}
