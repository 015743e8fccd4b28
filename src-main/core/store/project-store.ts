// One project = one folder holding project.sqlite. Opening checks the file is ours and not
// from a newer app BEFORE anything writes to it (even switching to WAL writes the header),
// then migrates and hands out one repository per table.
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StoreError, translateSqliteError, writing } from './errors';
import { judgeSchema, migrate, readSchemaFacts } from './migrate';
import { MasksRepo } from './masks';
import { nativeBindingOption } from './native-binding';
import { ObjectsRepo } from './objects';
import { PromptsRepo } from './prompts';
import { EngineStateRepo } from './engine-state';
import { PromptCallsRepo } from './prompt-calls';
import { UndoCellsRepo } from './undo-cells';
import { CandidatesRepo } from './candidates';
import { RunsRepo } from './runs';
import { migrations } from './schema';
import { SettingsRepo } from './settings';
import { readTrackSummaries } from './tracks';
import { TrackedRepo } from './tracked';
import { UndoEntriesRepo } from './undo-entries';
import type { TrackSummary } from './types';
import { VideosRepo } from './videos';

export const PROJECT_DB_FILE = 'project.sqlite';
const PAGE_SIZE = 8192;

export interface OpenStoreOptions {
  /** create the folder and the database when missing (default true); false: PROJECT_NOT_FOUND */
  create?: boolean;
  /**
   * open for viewing and export only (a folder or disk the app cannot write): SQLite's read-only
   * mode, nothing migrated; a project that would need a migration is refused (NOT_WRITABLE)
   */
  readOnly?: boolean;
}

export class ProjectStore {
  readonly videos: VideosRepo;
  readonly objects: ObjectsRepo;
  readonly prompts: PromptsRepo;
  readonly masks: MasksRepo;
  readonly runs: RunsRepo;
  readonly settings: SettingsRepo;
  readonly engine: EngineStateRepo;
  readonly promptCalls: PromptCallsRepo;
  readonly undoCells: UndoCellsRepo;
  readonly tracked: TrackedRepo;
  readonly undoEntries: UndoEntriesRepo;
  readonly candidates: CandidatesRepo;

  private constructor(
    readonly dir: string,
    readonly file: string,
    readonly db: Database.Database,
    /** schema version before and after this open's migrations */
    readonly migrated: { from: number; to: number },
    /** opened with `readOnly`: every write fails, so the services refuse edits up front */
    readonly readOnly = false,
  ) {
    this.videos = new VideosRepo(db);
    this.objects = new ObjectsRepo(db);
    this.prompts = new PromptsRepo(db);
    this.masks = new MasksRepo(db);
    this.runs = new RunsRepo(db);
    this.settings = new SettingsRepo(db);
    this.engine = new EngineStateRepo(db);
    this.promptCalls = new PromptCallsRepo(db);
    this.undoCells = new UndoCellsRepo(db);
    this.tracked = new TrackedRepo(db);
    this.undoEntries = new UndoEntriesRepo(db);
    this.candidates = new CandidatesRepo(db);
  }

  static open(dir: string, opts: OpenStoreOptions = {}): ProjectStore {
    const folder = resolve(dir);
    const file = join(folder, PROJECT_DB_FILE);
    const isNew = !existsSync(file);
    if (isNew && opts.create === false)
      throw new StoreError('PROJECT_NOT_FOUND', `${folder} is not a Maskline project: it has no ${PROJECT_DB_FILE}.`, { dir: folder });
    if (existsSync(folder) && !statSync(folder).isDirectory())
      throw new StoreError('INVALID_ARGUMENT', `${folder} is a file, not a project folder.`, { dir: folder });
    if (opts.readOnly) return ProjectStore.openReadOnly(folder, file, isNew);
    checkWritable(folder, file, isNew);
    let db: Database.Database | null = null;
    try {
      db = new Database(file, { fileMustExist: !isNew, timeout: 5000, nativeBinding: nativeBindingOption() });
      // A mask row with its engine state is ~2.5 KB at 1080p: 8 KiB pages hold three of them where
      // 4 KiB pages hold one (a third less disk). Only a new file can take it (before any table).
      if (isNew) db.pragma(`page_size = ${PAGE_SIZE}`);
      const migrated = migrate(db, migrations, file);
      db.pragma('journal_mode = WAL');
      // NORMAL is durable in WAL mode except for the last commits on power loss, and much faster.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      return new ProjectStore(folder, file, db, migrated);
    } catch (err) {
      db?.close();
      throw translateSqliteError(err, file);
    }
  }

  private static openReadOnly(folder: string, file: string, isNew: boolean): ProjectStore {
    if (isNew) throw new StoreError('PROJECT_NOT_FOUND', `${folder} is not a Maskline project: it has no ${PROJECT_DB_FILE}.`, { dir: folder });
    let db: Database.Database | null = null;
    try {
      db = openReadOnlyDatabase(file);
      const verdict = judgeSchema(readSchemaFacts(db), migrations);
      if (verdict.action === 'refuse') throw new StoreError(verdict.code, `${file} cannot be opened: ${verdict.reason}.`, { file });
      if (verdict.action === 'migrate') {
        throw new StoreError(
          'NOT_WRITABLE',
          `${file} was made by an older Maskline and must be upgraded before it can be opened, which needs write access to ${folder}.`,
          { dir: folder },
        );
      }
      const v = readSchemaFacts(db).userVersion;
      return new ProjectStore(folder, file, db, { from: v, to: v }, true);
    } catch (err) {
      db?.close();
      if (err instanceof StoreError) throw err;
      throw translateSqliteError(err, file);
    }
  }

  /** Run `fn` in one transaction: its writes all land or none do. Nested calls join the outer one. */
  transaction<T>(fn: () => T): T {
    return writing(this.db, () => this.db.transaction(fn)());
  }

  trackSummaries(): TrackSummary[] {
    return readTrackSummaries(this.db);
  }

  /** Folds the WAL back into the main file (e.g. before copying the project folder). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * SQLite's read-only mode, or, where it cannot open a WAL database (no -shm and a folder it
 * cannot create one in, e.g. a read-only disk), an in-memory copy of the file marked as a
 * rollback-journal database. Its WAL must be empty: commits that only live there cannot be read
 * without write access, so such a project is refused rather than shown without them.
 */
function openReadOnlyDatabase(file: string): Database.Database {
  let direct: Database.Database | null = null;
  try {
    direct = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000, nativeBinding: nativeBindingOption() });
    // SQLite opens lazily: the first read is where a WAL database without its -shm fails
    direct.pragma('user_version');
    return direct;
  } catch (err) {
    direct?.close();
    if ((err as { code?: string }).code !== 'SQLITE_CANTOPEN') throw err;
  }
  const wal = `${file}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new StoreError('NOT_WRITABLE', `${file} has changes not yet folded into it (${wal}) and cannot be read without write access to its folder.`, {
      file,
    });
  }
  const copy = readFileSync(file);
  // header bytes 18/19: file format write/read version, 2 = WAL, 1 = rollback journal
  if (copy.length >= 100) copy[18] = copy[19] = 1;
  return new Database(copy, { readonly: true, nativeBinding: nativeBindingOption() });
}

export function openProjectStore(dir: string, opts?: OpenStoreOptions): ProjectStore {
  return ProjectStore.open(dir, opts);
}

/**
 * SQLite silently opens a file it cannot write as read-only, and the first save would fail
 * later; a project the app cannot save to is refused up front. access() also sees a
 * read-only mount when running as root.
 */
function checkWritable(folder: string, file: string, isNew: boolean): void {
  try {
    if (isNew) mkdirSync(folder, { recursive: true });
    accessSync(folder, constants.W_OK);
    if (!isNew) accessSync(file, constants.W_OK | constants.R_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new StoreError('NOT_WRITABLE', `The project folder ${folder} cannot be written (${code}). Check its permissions or pick another folder.`, {
      dir: folder,
    });
  }
}
