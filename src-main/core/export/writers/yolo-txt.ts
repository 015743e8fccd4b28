// `yolo/<frame:05d>.txt`: YOLO segmentation labels, one line per connected part of each mask:
// `class x1 y1 x2 y2 ...` with coordinates normalised to 0..1 by the frame's width and height.
// Outlines follow the pixel edges, simplified with Douglas–Peucker; holes are not representable
// in this format and come back filled. `yolo/classes.txt` and `yolo/data.yaml` name the classes.
import { join } from 'node:path';
import { polygonArea, simplifyClosed, traceOuterContours } from '../contours';
import type { ExportFrame } from '../export-frame';
import { OUTPUT_NAMES, frameStem } from '../types';
import type { FormatWriter, WriterContext } from './writer';

/**
 * How far (pixels) the simplified outline may stray from the pixel edges. Half a pixel keeps
 * small parts pixel-exact when filled back; big parts can afford more, which turns their long
 * pixel staircases into a few straight edges (2 px from 200 × 200 px up). IoU of the filled
 * polygons with the mask stays ≥ 0.98 at every size (see the tests).
 */
export function yoloTolerance(partArea: number): number {
  return Math.min(2, Math.max(0.5, Math.sqrt(partArea) / 100));
}

export function yoloLines(f: ExportFrame, classOf: ReadonlyMap<number, number>): string[] {
  const lines: string[] = [];
  for (const m of f.byId) {
    const cls = classOf.get(m.objectId)!;
    for (const poly of traceOuterContours(f.bitmap(m), f.width, f.height, f.box(m))) {
      const p = simplifyClosed(poly, yoloTolerance(polygonArea(poly)));
      const coords: string[] = [];
      for (let i = 0; i < p.length; i += 2) coords.push(fixed(p[i]! / f.width), fixed(p[i + 1]! / f.height));
      lines.push(`${cls} ${coords.join(' ')}`);
    }
  }
  return lines;
}

// six decimals: 1/1e6 of a 4K frame is far below a pixel; trailing zeros trimmed to save space
function fixed(v: number): string {
  return v.toFixed(6).replace(/\.?0+$/, '');
}

export async function createYoloWriter(ctx: WriterContext): Promise<FormatWriter> {
  const dir = await ctx.staging.folder(OUTPUT_NAMES.yolo);
  const { names } = ctx.classes;
  let fileCount = 0;
  return {
    get fileCount() {
      return fileCount;
    },
    async frame(f: ExportFrame) {
      const lines = yoloLines(f, ctx.classes.classOf);
      fileCount++;
      // frames without masks get an empty file: a background image to YOLO, not a missing label
      await ctx.fs.writeFile(join(dir, `${frameStem(f.frame)}.txt`), lines.length ? lines.join('\n') + '\n' : '');
    },
    async finish() {
      await ctx.fs.writeFile(join(dir, 'classes.txt'), names.join('\n') + '\n');
      const yaml = [
        '# class index = line number in classes.txt (0-based)',
        `nc: ${names.length}`,
        'names:',
        ...names.map((n, i) => `  ${i}: ${JSON.stringify(n)}`),
      ];
      await ctx.fs.writeFile(join(dir, 'data.yaml'), yaml.join('\n') + '\n');
      fileCount += 2;
    },
    abort: async () => {},
  };
}
