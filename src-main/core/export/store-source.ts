// An open project store as an export source: its main video (as probed when it was added), its
// live objects and their masks, read frame by frame so long videos never sit in memory.
import { basename } from 'node:path';
import type { ProjectStore } from '../store';
import { readLabelSet } from '../labels/project-label-set';
import type { ProbeResult } from '../video/types';
import { ExportError, type ExportSource } from './types';

export function storeExportSource(store: ProjectStore): ExportSource {
  const row = store.videos.main();
  if (!row) throw new ExportError('EXPORT_BAD_REQUEST', `the project in ${store.dir} has no video`);
  const probe = row.probe as Partial<ProbeResult> | null;
  if (!probe || !(Number(probe.frames) >= 1) || !(Number(probe.width) >= 1) || !(Number(probe.height) >= 1) || !(Number(probe.fps) > 0)) {
    throw new ExportError('EXPORT_BAD_REQUEST', `the project in ${store.dir} has no usable probe of its video ${row.path}; open the video again`);
  }
  return {
    video: {
      path: row.path,
      name: basename(row.path),
      width: probe.width!,
      height: probe.height!,
      fps: probe.fps!,
      frames: probe.frames!,
      hasAudio: probe.hasAudio === true,
      streamIndex: probe.streamIndex,
    },
    objects: store.objects.list().map(({ id, name, label, color }) => ({ id, name, label, color })),
    labelSet: readLabelSet(store.settings).labels,
    masksAt: (frame) => store.masks.forFrame(frame),
  };
}
