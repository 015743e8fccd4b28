// `mots.txt`: the MOTS Challenge text format, one line per object per frame:
// `time_frame id class_id img_height img_width rle` with id = class_id * 1000 + instance and
// rle the compressed COCO string. time_frame is 1-based like MOTSChallenge (MOT17 images are
// 000001.jpg; TrackEval's MOTS loader reads frames 1..N), i.e. video frame f is written as f + 1.
// MOTS forbids overlapping masks, so overlaps are resolved as in the palette export.
// `mots-classes.txt` lists `class_id label` for the ids used.
import { buildMotsIds } from '../classes';
import { encodeCocoCounts } from '../../masks/coco-rle';
import type { ExportFrame } from '../export-frame';
import type { FileWriter } from '../output-fs';
import { MOTS_CLASSES_FILE, OUTPUT_NAMES } from '../types';
import type { FormatWriter, WriterContext } from './writer';

export { MOTS_CLASSES_FILE };

/**
 * Column-major COCO counts of every mask of the frame after overlap resolution, in one pass
 * over the label map, limited to the box around all masks (outside it is background).
 */
export function resolvedCounts(f: ExportFrame): number[][] {
  const labels = f.labelMap();
  const { width: w, height: h } = f;
  const n = f.masks.length;
  const counts: number[][] = Array.from({ length: n }, () => []);
  const boxes = f.masks.map((m) => f.box(m)!);
  if (n === 0) return counts;
  const x0 = Math.min(...boxes.map((b) => b[0]));
  const y0 = Math.min(...boxes.map((b) => b[1]));
  const x1 = Math.max(...boxes.map((b) => b[0] + b[2] - 1));
  const y1 = Math.max(...boxes.map((b) => b[1] + b[3] - 1));
  const runStart = new Float64Array(n); // where each mask's current run began (column-major)
  let prev = 0;
  const change = (pos: number, next: number) => {
    if (prev) {
      counts[prev - 1]!.push(pos - runStart[prev - 1]!);
      runStart[prev - 1] = pos;
    }
    if (next) {
      counts[next - 1]!.push(pos - runStart[next - 1]!);
      runStart[next - 1] = pos;
    }
    prev = next;
  };
  for (let x = x0; x <= x1; x++) {
    for (let y = y0; y <= y1; y++) {
      const v = labels[y * w + x]!;
      if (v !== prev) change(x * h + y, v);
    }
    // background between this column's box bottom and the next scanned pixel ends a run
    const gap = h - 1 - y1 + (x < x1 ? y0 : (w - 1 - x1) * h);
    if (prev && gap > 0) change(x * h + y1 + 1, 0);
  }
  for (let i = 0; i < n; i++) counts[i]!.push(w * h - runStart[i]!);
  return counts;
}

export async function createMotsWriter(ctx: WriterContext): Promise<FormatWriter> {
  const ids = buildMotsIds(ctx.source.objects, ctx.source.labelSet);
  const out: FileWriter = await ctx.fs.openWriter(ctx.staging.file(OUTPUT_NAMES.mots));
  const classesFile = ctx.staging.file(MOTS_CLASSES_FILE);
  let closed = false;
  const close = async () => {
    if (!closed) {
      closed = true;
      await out.close();
    }
  };
  return {
    fileCount: 2,
    async frame(f: ExportFrame) {
      const counts = resolvedCounts(f);
      const lines: string[] = [];
      for (const m of f.byId) {
        const c = counts[f.masks.indexOf(m)]!;
        // a mask entirely covered by others has nothing left to write
        if (c.length < 2) continue;
        const { classId, trackId } = ids.byObject.get(m.objectId)!;
        lines.push(`${f.frame + 1} ${trackId} ${classId} ${f.height} ${f.width} ${encodeCocoCounts(c)}`);
      }
      if (lines.length) await out.write(lines.join('\n') + '\n');
    },
    async finish() {
      await close();
      const table = [...ids.classIds].sort((a, b) => a[1] - b[1]).map(([name, id]) => `${id} ${name}`);
      await ctx.fs.writeFile(classesFile, table.join('\n') + '\n');
    },
    abort: close,
  };
}
