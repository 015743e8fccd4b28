// project.relocateVideo: the project's video moved; accept the file the user points at only if
// it is the same video (video-location.ts), then remember its new place. The frame cache keeps
// its name (the project's content key), so frames already extracted keep working.
import { ApiCallError } from '../api/errors';
import { checkVideoFile, probeVideo } from '../core/video';
import type { OpenProject } from './current-project';
import { videoKeyOf } from '../core/video/video-key';
import { fingerprintOf, judgeSameVideo, knownVideo, rememberFingerprint } from './video-location';
import { resolve } from 'node:path';

export async function relocateVideo(p: OpenProject, path: string): Promise<void> {
  const file = resolve(path);
  await checkVideoFile(file);
  const row = p.store.videos.main();
  if (!row) throw new ApiCallError('NOT_A_PROJECT', `${p.dir} has no video.`);
  const known = knownVideo(p.store, row, p.video.cache.manifest());
  const fp = await fingerprintOf(file);
  const probe = await probeVideo(file);
  const verdict = judgeSameVideo(known, {
    fingerprint: fp,
    keyWithKnownMtime: known.manifestMtimeMs === null ? null : videoKeyOf(fp.size, known.manifestMtimeMs, fp.headBytes),
    probe,
  });
  if (!verdict.same) {
    throw new ApiCallError('NOT_THE_SAME_VIDEO', `${file} is not this project's video: ${verdict.reason}. Choose the file the project was made from.`, {
      file,
    });
  }
  p.store.transaction(() => {
    p.store.videos.setPath(row.id, file);
    rememberFingerprint(p.store, fp);
  });
  p.video.path = file;
  p.videoMissing = false;
}
