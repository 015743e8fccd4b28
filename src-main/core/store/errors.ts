// One error class for the project database, with a code the API passes on and a message
// that names the file and what the user can do.
import { CodedError } from '../../api/errors';

export type StoreErrorCode =
  | 'SCHEMA_TOO_NEW'
  | 'NOT_A_PROJECT'
  | 'NOT_A_DATABASE'
  | 'NOT_WRITABLE'
  | 'PROJECT_NOT_FOUND'
  | 'DISK_FULL'
  | 'BUSY'
  | 'NOT_FOUND'
  | 'INVALID_ARGUMENT'
  | 'NATIVE_BINDING_MISSING';

export class StoreError extends CodedError<StoreErrorCode, Record<string, unknown>> {}

/** Translate a SQLite/file-system error met on `file` into a StoreError (others pass through). */
export function translateSqliteError(err: unknown, file: string): unknown {
  if (err instanceof StoreError) return err;
  const code = String((err as { code?: unknown })?.code ?? '');
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new StoreError('NOT_A_DATABASE', `${file} is not a readable project database (${code}). Restore it from a backup or start a new project.`, { file });
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new StoreError('DISK_FULL', `The disk holding ${file} is full: nothing was saved. Free some space and try again.`, { file });
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
    return new StoreError(
      'NOT_WRITABLE',
      `The project database ${file} cannot be written (${code}). Check the folder's permissions or pick another project folder.`,
      { file },
    );
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new StoreError('BUSY', `The project database ${file} is in use by another program (${code}). Close it there and try again.`, { file });
  }
  return err;
}

/** Run a write and report SQLite trouble (full disk, read-only file, locked) as a StoreError. */
export function writing<T>(db: { name: string }, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw translateSqliteError(err, db.name);
  }
}
