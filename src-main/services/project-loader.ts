// Opening a project, in an order that keeps bad input away from the disk: the video is
// checked and probed first (every bad-input error happens here), the frame cache folder is
// proven writable, and only then is a project database created or opened.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiCallError } from '../api/errors';
import { PROJECT_DB_FILE, ProjectStore, StoreError } from '../core/store';
import { FrameCache, inspectVideo, probeVideo, VideoError, type ProbeResult } from '../core/video';
import { defaultProjectDir, type DataLayout } from './data-layout';
import { OpenProject, type ProjectVideo } from './current-project';
import { fingerprintOf, rememberFingerprint, videoPresence } from './video-location';

/** A new OpenProject for the video at `path`, or `current` when that is already it. */
export async function openVideoProject(layout: DataLayout, path: string, projectDir: string | undefined, current: OpenProject | null): Promise<OpenProject> {
  const inspected = await inspectVideo(path, layout.frames);
  const dir = projectDir ? resolve(projectDir) : defaultProjectDir(layout, inspected.key);
  if (current && current.dir === dir) {
    if (current.video.key === inspected.key) return current;
    throw otherVideo(dir, current.video.path);
  }
  if (!inspected.cache.isComplete()) ensureWritable(layout.frames);
  const store = openStore(dir, true);
  try {
    const main = store.videos.main();
    if (main && main.key !== inspected.key) throw otherVideo(dir, main.path);
    if (store.readOnly) {
      if (!main) throw new StoreError('NOT_WRITABLE', `The project folder ${dir} cannot be written, and it holds no project of this video yet.`, { dir });
      return new OpenProject(store, { path: main.path, key: inspected.key, probe: inspected.probe, cache: inspected.cache }, false);
    }
    store.transaction(() => store.videos.upsert({ path: inspected.path, key: inspected.key, probe: inspected.probe }));
    rememberFingerprint(store, await fingerprintOf(inspected.path));
    const video: ProjectVideo = { path: inspected.path, key: inspected.key, probe: inspected.probe, cache: inspected.cache };
    return new OpenProject(store, video, store.migrated.from === 0);
  } catch (err) {
    store.close();
    throw err;
  }
}

/**
 * The project in folder `dir`. Its frames come from the cache when complete; its video may have
 * moved or changed (videoMissing: the UI asks for it, cached frames keep working, an incomplete
 * cache waits for project.relocateVideo).
 */
export async function openProjectFolder(layout: DataLayout, dir: string, current: OpenProject | null): Promise<OpenProject> {
  const folder = resolve(dir);
  if (current && current.dir === folder) return current;
  const store = openStore(folder, false);
  try {
    const row = store.videos.main();
    if (!row) throw new StoreError('NOT_A_PROJECT', `${folder} holds a Maskline database without a video.`, { dir: folder });
    const cache = new FrameCache(layout.frames, row.key);
    const m = cache.manifest();
    const presence = await videoPresence(store, row);
    let probe: ProbeResult;
    if (m) probe = { ...m.probe, frames: m.frames };
    else if (presence.missing) probe = row.probe as ProbeResult;
    else {
      probe = await probeVideo(row.path);
      ensureWritable(layout.frames);
    }
    const p = new OpenProject(store, { path: row.path, key: row.key, probe, cache }, false);
    p.videoMissing = presence.missing;
    return p;
  } catch (err) {
    store.close();
    throw err;
  }
}

/**
 * The project's database, read-write; when its folder (or the disk, or the data dir) cannot be
 * written and the database exists, read-only for viewing and export (issue 13).
 */
function openStore(dir: string, create: boolean): ProjectStore {
  try {
    return ProjectStore.open(dir, { create });
  } catch (err) {
    if (!(err instanceof StoreError) || err.code !== 'NOT_WRITABLE' || !existsSync(join(resolve(dir), PROJECT_DB_FILE))) throw err;
    return ProjectStore.open(dir, { create: false, readOnly: true });
  }
}

function otherVideo(dir: string, video: string): ApiCallError {
  return new ApiCallError(
    'PROJECT_HAS_OTHER_VIDEO',
    `${dir} is the project of another video (${video}). Choose an empty folder, or open that project instead.`,
    { dir, video },
  );
}

/** The frame cache root must take files before a project is created for frames that could not be written. */
export function ensureWritable(dir: string): void {
  const probe = join(dir, `.write-test-${process.pid}-${Date.now()}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, 'ok');
    rmSync(probe, { force: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      throw new VideoError('DISK_FULL', `The disk holding the frame cache (${dir}) is full. Free some space and open the video again.`, { dir });
    }
    throw new VideoError('CACHE_NOT_WRITABLE', `The frame cache folder ${dir} cannot be written (${code ?? (err as Error).message}).`, { dir, errno: code });
  }
}
