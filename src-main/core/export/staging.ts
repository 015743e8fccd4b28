// Never a half-written file under a final name, and never a user's file touched: every output
// is first written under `<name>.tmp-<random>` in the destination folder (same file system, so
// the final step is a rename) and only renamed into place once the whole export has succeeded.
// An output name that already exists may only be replaced when everything under it was written
// by an earlier export (manifest.ts); otherwise the export is refused before anything is
// written. On failure or cancel every temporary is removed, and so is every folder this export
// created, so a cancelled export leaves nothing behind.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ExportError } from './types';
import { foreignEntries, listNames, MANIFEST_NAME, readManifest, stampOutput, walkOutput, writeManifest, type Manifest } from './manifest';

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

/** The refusal when names in the way are not ours: one message listing them all. */
export function conflictError(dir: string, foreign: readonly string[]): ExportError {
  return new ExportError(
    'EXPORT_CONFLICT',
    `${dir} already holds files Maskline did not write: ${listNames(foreign)}. Nothing was written; move them away or choose another folder.`,
    { dir, names: [...foreign] },
  );
}

export class OutputStaging {
  private readonly staged: Staged[] = [];
  /** declared files of an earlier run that this one replaces by nothing (removed at commit, being ours) */
  private readonly retired: string[] = [];
  private readonly tag = randomBytes(4).toString('hex');
  /** folders this export created (outermost first): removed again on discard when empty */
  private created: string[] = [];
  /** what the commit had to leave in place (reported as warnings) */
  readonly warnings: string[] = [];

  private constructor(
    readonly dir: string,
    private readonly names: readonly string[],
  ) {}

  /**
   * Checks that every output name in `names` is free or ours, creates the destination when
   * missing and proves it takes files, all before any work starts.
   */
  static async open(dir: string, names: readonly string[]): Promise<OutputStaging> {
    const s = new OutputStaging(dir, names);
    const probe = join(dir, `.maskline-write-test.tmp-${s.tag}`);
    try {
      const st = await stat(dir).catch(() => null);
      if (st && !st.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
      if (st) await s.refuseForeign();
      const first = await mkdir(dir, { recursive: true });
      if (first) s.created = chain(first, dir);
      await writeFile(probe, 'ok', { flag: 'wx' });
      await rm(probe, { force: true });
    } catch (err) {
      await s.removeCreated();
      if (err instanceof ExportError) throw err;
      throw destinationError(err, dir) ?? new ExportError('EXPORT_DESTINATION', `cannot write to ${dir}: ${(err as Error).message}`);
    }
    return s;
  }

  /**
   * The up-front check alone, for a run whose outputs are written much later (after a
   * propagation or a model run): refuses now when `names` hold files we did not write, and
   * leaves no folder behind.
   */
  static async check(dir: string, names: readonly string[]): Promise<void> {
    const s = await OutputStaging.open(dir, names);
    await s.discard();
  }

  /** Temporary path for the file `name`. */
  file(name: string): string {
    const temp = join(this.dir, `${this.declared(name)}.tmp-${this.tag}`);
    this.staged.push({ name, temp, kind: 'file' });
    return temp;
  }

  /** Creates and returns the temporary folder for the folder `name`. */
  async folder(name: string): Promise<string> {
    const temp = join(this.dir, `${this.declared(name)}.tmp-${this.tag}`);
    this.staged.push({ name, temp, kind: 'dir' });
    await mkdir(temp);
    return temp;
  }

  /**
   * The file `name` (declared, from an earlier run) is to go at commit: a later run that writes
   * fewer numbered files must not leave the older ones looking like results. Only removed when it
   * is ours (the commit refuses otherwise, like for every declared name).
   */
  retire(name: string): void {
    this.retired.push(this.declared(name));
  }

  /** Renames everything into place and records it in the manifest; returns the final paths. */
  async commit(): Promise<string[]> {
    // checked again: something may have appeared under our names while the export ran
    const manifest = await this.refuseForeign();
    const next: Manifest = new Map([...manifest].filter(([k]) => !this.staged.some((s) => k === s.name || k.startsWith(`${s.name}/`))));
    for (const name of this.retired) {
      if (manifest.has(name))
        await unlink(join(this.dir, name)).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        });
      next.delete(name);
    }
    this.retired.length = 0;
    const out: string[] = [];
    for (const s of this.staged) {
      const final = join(this.dir, s.name);
      if (s.kind === 'file') await rename(s.temp, final);
      else await this.replaceFolder(s, final, manifest);
      for (const [k, v] of await stampOutput(this.dir, s.name)) next.set(k, v);
      out.push(final);
    }
    this.staged.length = 0;
    await writeManifest(this.dir, next, this.tag);
    this.created = [];
    return out;
  }

  /** Removes every temporary and every folder this export created (best effort: a failing disk must not hide the original error). */
  async discard(): Promise<void> {
    for (const s of this.staged) await rm(s.temp, { recursive: true, force: true }).catch(() => {});
    this.staged.length = 0;
    await rm(join(this.dir, `${MANIFEST_NAME}.tmp-${this.tag}`), { force: true }).catch(() => {});
    await this.removeCreated();
  }

  private declared(name: string): string {
    if (!this.names.includes(name)) throw new Error(`export staging: ${name} was not declared up front (${this.names.join(', ')})`);
    return name;
  }

  /** Throws EXPORT_CONFLICT naming everything in the way that is not ours; returns the manifest. */
  private async refuseForeign(): Promise<Manifest> {
    const manifest = await readManifest(this.dir);
    const found = (await Promise.all(this.names.map((n) => walkOutput(this.dir, n)))).flat();
    const foreign = foreignEntries(found, manifest ?? new Map());
    if (!manifest) foreign.unshift(MANIFEST_NAME);
    if (foreign.length) throw conflictError(this.dir, foreign);
    return manifest!;
  }

  // A folder cannot be renamed over a non-empty one: move the old one aside, move the new one
  // in, then delete from the old one only the files the manifest says we wrote.
  private async replaceFolder(s: Staged, final: string, manifest: Manifest): Promise<void> {
    const oldName = `${s.name}.old-${this.tag}`;
    const old = join(this.dir, oldName);
    const hadOld = await stat(final).then(
      () => true,
      () => false,
    );
    if (hadOld) await rename(final, old);
    try {
      await rename(s.temp, final);
    } catch (err) {
      if (hadOld) await rename(old, final).catch(() => {});
      throw err;
    }
    if (hadOld) await this.removeOurs(oldName, s.name, manifest);
  }

  private async removeOurs(oldName: string, name: string, manifest: Manifest): Promise<void> {
    const entries = await walkOutput(this.dir, oldName);
    const ours = (path: string) => name + path.slice(oldName.length);
    for (const e of entries) {
      const stamp = manifest.get(ours(e.path));
      if (e.kind === 'file' && stamp && stamp.size === e.size && Math.abs(stamp.mtimeMs - e.mtimeMs) <= 1) await unlink(join(this.dir, e.path));
    }
    for (const e of entries.filter((x) => x.kind === 'dir').reverse()) await rmdir(join(this.dir, e.path)).catch(() => {});
    const left = await walkOutput(this.dir, oldName);
    if (left.length)
      this.warnings.push(
        `${join(this.dir, oldName)} was kept: files appeared in the older ${name} during the export (${listNames(left.filter((e) => e.kind !== 'dir').map((e) => ours(e.path)))})`,
      );
  }

  private async removeCreated(): Promise<void> {
    for (const d of [...this.created].reverse()) await rmdir(d).catch(() => {});
    this.created = [];
  }
}

/** The folders from `first` (the outermost one mkdir created) down to `dir`. */
function chain(first: string, dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; d.length >= first.length; d = dirname(d)) {
    out.unshift(d);
    if (d === first || dirname(d) === d) break;
  }
  return out;
}
