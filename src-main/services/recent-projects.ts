// The recent-projects list: a small JSON file in the data dir, newest first. The update is
// a pure function; the file is replaced atomically so a crash never leaves half a list.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RecentProject } from '../api/contract';

export const MAX_RECENT = 12;

/** Put `entry` first, drop older entries for the same folder, keep at most `max`. */
export function withRecent(list: readonly RecentProject[], entry: RecentProject, max = MAX_RECENT): RecentProject[] {
  return [entry, ...list.filter((r) => r.dir !== entry.dir)].slice(0, max);
}

/** Whatever is in the file, as a list of well-formed entries (a damaged file is an empty list). */
export function parseRecent(text: string): RecentProject[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(data)) return [];
  return data.filter(
    (r): r is RecentProject => !!r && typeof r === 'object' && typeof r.dir === 'string' && typeof r.videoName === 'string' && typeof r.openedAt === 'string',
  );
}

export class RecentProjects {
  constructor(
    private readonly file: string,
    private readonly log: (line: string) => void,
  ) {}

  list(): RecentProject[] {
    try {
      return parseRecent(readFileSync(this.file, 'utf8'));
    } catch {
      return [];
    }
  }

  /** Best effort: a read-only data dir must not stop a project from opening. */
  add(entry: RecentProject): void {
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(withRecent(this.list(), entry), null, 1));
      renameSync(tmp, this.file);
    } catch (err) {
      this.log(`[services] could not update ${this.file}: ${(err as Error).message}`);
    }
  }
}
