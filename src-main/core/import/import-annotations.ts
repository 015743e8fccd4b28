// An import into a project database: read and check everything first, then write it all in one
// transaction (nothing is half-imported: the first bad file or entry stops the import before
// anything is written, and a database error rolls the whole import back).
//
// As prompts: each kept mask becomes the object's mask prompt on its frame (prompt row + the
// mask row exactly as imported, without engine state); the app's engine takes them up as it
// restores a project (docs/workflow.md: prompted frames without engine state are prompted again
// from their stored prompt), so SAM 2 tracks from them. As fixed: the mask row has source
// 'fixed' and no prompt; propagation never rewrites it.
import type { ProjectStore } from '../store';
import { mapObjects, pickFrames } from './plan';
import { locateInput } from './inputs';
import { readCoco } from './read-coco';
import { readMots } from './read-mots';
import { readPaletteFolder } from './read-palette';
import { readPngFolder, type ReadOptions } from './read-png-folder';
import { readYolo } from './read-yolo';
import { rleArea } from '../masks/rle';
import { ImportError, type ImportFormat, type ImportReport, type ImportRequest, type ReadResult, type SourceMask, type VideoShape } from './types';

/** Score logit stored with imported masks: the sign says whether the object is there (as a mask prompt's ±10). */
const PRESENT = 10;

const READERS: Record<ImportFormat, (path: string, video: VideoShape, o: ReadOptions) => Promise<ReadResult>> = {
  png: readPngFolder,
  palette: readPaletteFolder,
  coco: readCoco,
  yolo: readYolo,
  mots: readMots,
};

export async function readAnnotations(req: ImportRequest, video: VideoShape, o: ReadOptions = {}): Promise<ReadResult> {
  const at = await locateInput(req.path, req.format);
  try {
    return await READERS[req.format](at, video, o);
  } catch (err) {
    if (o.signal?.aborted) throw new ImportError('CANCELLED', 'The import was cancelled; nothing was imported.');
    throw err;
  }
}

/** Writes what was read into the project in one transaction. */
export function writeAnnotations(store: ProjectStore, read: ReadResult, req: ImportRequest): ImportReport {
  const targets = mapObjects(read.objects, store.objects.list());
  const byKey = new Map<string, SourceMask[]>();
  for (const m of read.masks) byKey.set(m.key, [...(byKey.get(m.key) ?? []), m]);
  let skipped = 0;
  const kept: SourceMask[] = [];
  for (const [key, list] of byKey) {
    list.sort((a, b) => a.frame - b.frame);
    const frames = new Set(
      req.use === 'prompts'
        ? pickFrames(
            list.map((m) => m.frame),
            req.pick,
          )
        : list.map((m) => m.frame),
    );
    for (const m of list) {
      if (frames.has(m.frame)) kept.push(m);
      else skipped++;
    }
    if (!targets.has(key)) throw new ImportError('IMPORT_BAD_INPUT', `${list[0]!.entry}: no object for ${key}`);
  }
  return store.transaction(() => {
    const ids = new Map<string, number>();
    const report: ImportReport = { format: req.format, use: req.use, objects: [], stored: 0, skipped, unmatchedImages: read.unmatchedImages };
    for (const s of read.objects) {
      if (!byKey.has(s.key)) continue;
      const t = targets.get(s.key)!;
      const o = t.kind === 'existing' ? store.objects.require(t.id) : store.objects.add({ name: t.name, label: t.label });
      if (t.kind === 'existing' && o.label === '' && s.label) store.objects.update(o.id, { label: s.label });
      ids.set(s.key, o.id);
      report.objects.push({ id: o.id, name: o.name, label: store.objects.require(o.id).label, created: t.kind === 'new', masks: 0 });
    }
    for (const m of kept) {
      const objectId = ids.get(m.key)!;
      const score = rleArea(m.rle) > 0 ? PRESENT : -PRESENT;
      store.engine.removeCond(objectId, m.frame);
      if (req.use === 'fixed') {
        store.prompts.remove(objectId, m.frame);
        store.masks.put({ objectId, frame: m.frame, rle: m.rle, score, source: 'fixed' });
      } else {
        store.prompts.set({ objectId, frame: m.frame, points: [], labels: [], box: null, mask: m.rle });
        store.masks.put({ objectId, frame: m.frame, rle: m.rle, score, source: 'prompt' });
        store.promptCalls.add({ objectId, frame: m.frame, op: 'mask', args: {}, mask: m.rle });
      }
      report.objects.find((r) => r.id === objectId)!.masks++;
      report.stored++;
    }
    return report;
  });
}

export async function importAnnotations(store: ProjectStore, video: VideoShape, req: ImportRequest, o: ReadOptions = {}): Promise<ImportReport> {
  const read = await readAnnotations(req, video, o);
  if (o.signal?.aborted) throw new ImportError('CANCELLED', 'The import was cancelled; nothing was imported.');
  return writeAnnotations(store, read, req);
}
