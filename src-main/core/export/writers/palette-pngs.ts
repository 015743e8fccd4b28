// `palette/<frame:05d>.png`: one indexed-colour PNG per frame whose pixel values are object ids
// (0 = background) with the DAVIS palette, the layout of DAVIS / YouTube-VOS annotations.
// Where masks overlap, the one painted last wins (see paintOrder).
import { join } from 'node:path';
import { DAVIS_PALETTE } from '../davis-palette';
import type { ExportFrame } from '../export-frame';
import { paintRle } from '../rle-paint';
import { blankScanlines, encodePng } from '../../masks/png';
import { TaskPool } from '../task-pool';
import { OUTPUT_NAMES, frameStem } from '../types';
import { PNG_IN_FLIGHT } from './mask-pngs';
import type { FormatWriter, WriterContext } from './writer';

export async function createPalettePngWriter(ctx: WriterContext): Promise<FormatWriter> {
  const { width: w, height: h } = ctx.source.video;
  const dir = await ctx.staging.folder(OUTPUT_NAMES.palette);
  const pool = new TaskPool(PNG_IN_FLIGHT);
  let fileCount = 0;
  return {
    get fileCount() {
      return fileCount;
    },
    async frame(f: ExportFrame) {
      const scanlines = blankScanlines(w, h);
      // ids were checked to fit in a byte when the export was planned
      for (const m of f.masks) paintRle(m.rle, scanlines, m.objectId, w + 1, 1);
      const file = join(dir, `${frameStem(f.frame)}.png`);
      fileCount++;
      await pool.add(async () => ctx.fs.writeFile(file, await encodePng({ width: w, height: h, scanlines, palette: DAVIS_PALETTE })));
    },
    finish: () => pool.drain(),
    abort: () => pool.settle(),
  };
}
