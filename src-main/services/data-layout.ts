// Where things live under the data dir (Electron: app.getPath('userData'); the host:
// --data-dir or a folder under the system temp dir).
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface DataLayout {
  root: string;
  /** default project folders: projects/<videoKey>/project.sqlite */
  projects: string;
  /** frame caches: frames/<videoKey>/00000.jpg … (shared by every project of that video) */
  frames: string;
  /** browser uploads: uploads/<random>/<name> */
  uploads: string;
  recentFile: string;
}

export function dataLayout(dataDir: string): DataLayout {
  const root = resolve(dataDir);
  return {
    root,
    projects: join(root, 'projects'),
    frames: join(root, 'frames'),
    uploads: join(root, 'uploads'),
    recentFile: join(root, 'recent-projects.json'),
  };
}

/** A video's project folder unless the caller chose one. */
export function defaultProjectDir(layout: DataLayout, videoKey: string): string {
  return join(layout.projects, videoKey);
}

/**
 * Why files cannot be written at or below `dir` (EROFS, EACCES…), asked at its nearest existing
 * folder (a `mkdir -p` on a read-only disk may only say ENOENT); null when it can be written.
 */
export function whyNotWritable(dir: string): string | null {
  let d = resolve(dir);
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  try {
    accessSync(d, constants.W_OK);
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'EACCES';
  }
}
