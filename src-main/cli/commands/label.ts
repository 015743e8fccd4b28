// `maskline label`: names a project's objects with CLIP from their whole tracks (up to K frames
// spread over each track, see docs/labels.md). Unlabelled objects only unless --relabel.
import { resolve } from 'node:path';
import { UsageError } from '../args';
import type { CliCommand } from '../command';
import { CLIP_VARIANT_FLAG, CROP_FLAGS, cropFrom, labelSetFrom, openLabeller, TEMPLATE_FLAG } from '../clip-flags';
import { progressPrinter } from './export';
import { labelTracks, LabelsError, readLabelCrop, readLabelSet, resolveCropOptions, writeLabelInfo, writeLabelSet, type LabelSet } from '../../core/labels';
import { VideoFileFrameSource } from '../../core/sam2/frame-source-video';
import { openProjectStore } from '../../core/store';

export const labelCommand: CliCommand = {
  name: 'label',
  summary: "Label a project's objects with CLIP from their whole tracks",
  flags: {
    project: { type: 'string', required: true, help: 'project folder (the one holding project.sqlite)' },
    clip: { type: 'string', required: true, help: 'CLIP folder in the transformers.js layout' },
    labels: { type: 'string', help: "comma-separated labels (default: the project's label set; saved as it when the project has none)" },
    template: TEMPLATE_FLAG,
    'frames-per-track': { type: 'number', help: 'crops per object, spread over its track, most confident first (default 5)' },
    relabel: { type: 'switch', help: 'also label objects that already have a label' },
    variant: CLIP_VARIANT_FLAG,
    threads: { type: 'number', help: 'onnxruntime threads (default: number of cores)' },
    ...CROP_FLAGS,
  },
  async run(flags) {
    const k = flags['frames-per-track'] ?? 5;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw new UsageError(`--frames-per-track must be an integer ≥ 1, got ${k}`);
    const store = openProjectStore(resolve(String(flags.project)), { create: false });
    const ac = new AbortController();
    const onSigint = () => ac.abort();
    process.once('SIGINT', onSigint);
    let source: VideoFileFrameSource | null = null;
    try {
      const saved = readLabelSet(store.settings);
      let set: LabelSet;
      if (flags.labels !== undefined) {
        set = labelSetFrom(String(flags.labels), flags.template);
        if (!saved.labels.length) writeLabelSet(store.settings, set.labels, set.templates);
      } else {
        if (!saved.labels.length) throw new UsageError('the project has no label set: give --labels "cat,dog,…"');
        set = flags.template !== undefined ? labelSetFrom(saved.labels.join(','), flags.template) : saved;
      }
      const video = store.videos.main();
      if (!video) throw new UsageError(`the project ${store.dir} has no video`);
      const objects = store.objects.list().filter((o) => flags.relabel === true || !o.label.trim());
      if (!objects.length) {
        console.log('maskline label: every object already has a label (--relabel to label them again)');
        return 0;
      }
      const labeller = await openLabeller(String(flags.clip), flags.variant, flags.threads as number | undefined);
      try {
        source = await VideoFileFrameSource.open(video.path, { signal: ac.signal });
        const tracks = store.trackSummaries();
        const last = (id: number) => tracks.find((t) => t.objectId === id)?.frames.at(-1) ?? -1;
        const print = progressPrinter((line) => console.error(line));
        const src = source;
        // the project's crop options (saved with its label set in the app), the flags over them
        const crop = resolveCropOptions({ ...readLabelCrop(store.settings), ...cropFrom(flags) });
        const results = await labelTracks(
          labeller,
          set,
          objects.map((o) => o.id),
          {
            masks: (id) =>
              last(id) < 0 ? [] : store.masks.listRange(id, 0, last(id)).map((m) => ({ frame: m.frame, score: m.score, area: m.area, rle: m.rle })),
            readFrame: (f) => src.read(f),
          },
          { framesPerTrack: k, crop, signal: ac.signal, onProgress: (done, total) => print({ phase: 'labelling', done, total, unit: 'crops' }) },
        );
        const model = labeller.model.folder.name;
        store.transaction(() => {
          for (const r of results) if (r.ranked.length) store.objects.update(r.objectId, { label: r.ranked[0]!.label });
          writeLabelInfo(
            store.settings,
            Object.fromEntries(
              results
                .filter((r) => r.ranked.length)
                .map((r) => [
                  r.objectId,
                  { label: r.ranked[0]!.label, confidence: r.ranked[0]!.probability, top: r.ranked.slice(0, 3), frames: r.frames, model, crop },
                ]),
            ),
          );
        });
        for (const r of results) {
          const name = objects.find((o) => o.id === r.objectId)!.name;
          if (!r.ranked.length) console.log(`${r.objectId} ${name}: no mask, not labelled`);
          else console.log(`${r.objectId} ${name}: ${r.ranked[0]!.label} ${r.ranked[0]!.probability.toFixed(4)} (frames ${r.frames.join(',')})`);
        }
        return 0;
      } finally {
        await labeller.dispose();
      }
    } catch (e) {
      if (e instanceof LabelsError && e.code === 'CANCELLED') {
        console.error('maskline label: cancelled');
        return 130;
      }
      throw e;
    } finally {
      process.removeListener('SIGINT', onSigint);
      await source?.close();
      store.close();
    }
  },
};
