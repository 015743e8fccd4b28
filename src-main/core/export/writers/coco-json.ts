// `coco.json`: COCO-style instance annotations, one per object per frame, each frame an image
// of one video (the layout of COCO-video datasets such as TAO): segmentation as compressed
// COCO RLE (pycocotools' string form), area in pixels, bbox [x, y, w, h]. The schema is written
// out with a sample in docs/export.md. Written as a stream: the images list first (known from
// the range), then the annotations as frames arrive.
import { columnMajorCounts, encodeCocoCounts } from '../../masks/coco-rle';
import { normalizeLabel } from '../classes';
import type { ExportFrame } from '../export-frame';
import type { FileWriter } from '../output-fs';
import { OUTPUT_NAMES, frameStem } from '../types';
import type { FormatWriter, WriterContext } from './writer';

/** COCO ids start at 1; frame f is image f + 1. */
export const cocoImageId = (frame: number) => frame + 1;
const VIDEO_ID = 1;

export async function createCocoWriter(ctx: WriterContext): Promise<FormatWriter> {
  const { video } = ctx.source;
  const { plan, classes } = ctx;
  const out: FileWriter = await ctx.fs.openWriter(ctx.staging.file(OUTPUT_NAMES.coco));
  let closed = false;
  const close = async () => {
    if (!closed) {
      closed = true;
      await out.close();
    }
  };

  const head = {
    info: { description: `Maskline export of ${video.name}`, date_created: new Date().toISOString(), frames: [plan.first, plan.last] },
    licenses: [],
    videos: [{ id: VIDEO_ID, name: video.name, width: video.width, height: video.height, length: video.frames, fps: video.fps }],
    categories: classes.names.map((name, i) => ({ id: i + 1, name, supercategory: 'object' })),
    objects: plan.objects.map((o) => ({ id: o.id, name: o.name, label: normalizeLabel(o.label), category_id: classes.classOf.get(o.id)! + 1 })),
  };
  await out.write(JSON.stringify(head).slice(0, -1) + ',"images":[');
  const images: string[] = [];
  for (let f = plan.first; f <= plan.last; f++) {
    images.push(
      JSON.stringify({ id: cocoImageId(f), video_id: VIDEO_ID, frame_index: f, file_name: `${frameStem(f)}.jpg`, width: video.width, height: video.height }),
    );
    // keep each write a bounded size on long videos
    if (images.length === 1000 || f === plan.last) {
      await out.write((f - images.length + 1 > plan.first ? ',' : '') + images.join(','));
      images.length = 0;
    }
  }
  await out.write('],"annotations":[');

  let annotationId = 0;
  return {
    fileCount: 1,
    async frame(f: ExportFrame) {
      const parts: string[] = [];
      for (const m of f.byId) {
        const box = f.box(m)!;
        const counts = columnMajorCounts(f.bitmap(m), f.width, f.height, box);
        let area = 0;
        for (let i = 1; i < counts.length; i += 2) area += counts[i]!;
        annotationId++;
        parts.push(
          JSON.stringify({
            id: annotationId,
            image_id: cocoImageId(f.frame),
            video_id: VIDEO_ID,
            frame_index: f.frame,
            object_id: m.objectId,
            category_id: classes.classOf.get(m.objectId)! + 1,
            segmentation: { size: [f.height, f.width], counts: encodeCocoCounts(counts) },
            area,
            bbox: box,
            iscrowd: 0,
            score: m.score,
          }),
        );
      }
      if (parts.length) await out.write((annotationId > parts.length ? ',' : '') + parts.join(','));
    },
    async finish() {
      await out.write(']}\n');
      await close();
    },
    abort: close,
  };
}
