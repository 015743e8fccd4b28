// Never a half-written file under a final name: every output is first written under
// `<name>.tmp-<random>` in the destination folder (same file system, so the final step is a
// rename) and only renamed into place once the whole export has succeeded. Folders replace an
// older export's folder only then; on failure or cancel every temporary is removed and the
// older export stays as it was.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExportError } from './types';

interface Staged {
  name: string;
  temp: string;
  kind: 'file' | 'dir';
}

const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file with that name is in the way',
};

/** An fs error as a destination problem that names the path and says what went wrong. */
export function destinationError(err: unknown, path: string): ExportError | null {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (!code || !REASONS[code]) return null;
  return new ExportError('EXPORT_DESTINATION', `cannot write ${path}: ${REASONS[code]} (${code})`);
}

export class OutputStaging {
  private readonly staged: Staged[] = [];
  private readonly tag = randomBytes(4).toString('hex');

  private constructor(readonly dir: string) {}

  /** Creates the destination when missing and proves it takes files before any work starts. */
  static async open(dir: string): Promise<OutputStaging> {
    const s = new OutputStaging(dir);
    const probe = join(dir, `.maskline-write-test.tmp-${s.tag}`);
    try {
      const st = await stat(dir).catch(() => null);
      if (st && !st.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
      await mkdir(dir, { recursive: true });
      await writeFile(probe, 'ok');
      await rm(probe, { force: true });
    } catch (err) {
      throw destinationError(err, dir) ?? new ExportError('EXPORT_DESTINATION', `cannot write to ${dir}: ${(err as Error).message}`);
    }
    return s;
  }

  /** Temporary path for the file `name`. */
  file(name: string): string {
    const temp = join(this.dir, `${name}.tmp-${this.tag}`);
    this.staged.push({ name, temp, kind: 'file' });
    return temp;
  }

  /** Creates and returns the temporary folder for the folder `name`. */
  async folder(name: string): Promise<string> {
    const temp = join(this.dir, `${name}.tmp-${this.tag}`);
    this.staged.push({ name, temp, kind: 'dir' });
    await mkdir(temp, { recursive: true });
    return temp;
  }

  /** Renames everything into place; returns the final paths. */
  async commit(): Promise<string[]> {
    const out: string[] = [];
    for (const s of this.staged) {
      const final = join(this.dir, s.name);
      if (s.kind === 'file') {
        await rename(s.temp, final);
      } else {
        await this.replaceFolder(s.temp, final);
      }
      out.push(final);
    }
    this.staged.length = 0;
    return out;
  }

  // A folder cannot be renamed over a non-empty one: move the old one aside, move the new one
  // in, then delete the old one (or put it back if the move failed).
  private async replaceFolder(temp: string, final: string): Promise<void> {
    const old = `${final}.old-${this.tag}`;
    const hadOld = await stat(final).then(() => true, () => false);
    if (hadOld) await rename(final, old);
    try {
      await rename(temp, final);
    } catch (err) {
      if (hadOld) await rename(old, final).catch(() => {});
      throw err;
    }
    if (hadOld) await rm(old, { recursive: true, force: true });
  }

  /** Removes every temporary (best effort: a failing disk must not hide the original error). */
  async discard(): Promise<void> {
    for (const s of this.staged) await rm(s.temp, { recursive: true, force: true }).catch(() => {});
    this.staged.length = 0;
  }
}
