// Argument checks shared by the repositories: bad input is refused before any write.
import { StoreError } from './errors';

export function checkId(what: string, v: unknown): number {
  if (!Number.isSafeInteger(v) || (v as number) <= 0) throw new StoreError('INVALID_ARGUMENT', `${what} must be a positive integer, got ${JSON.stringify(v)}`);
  return v as number;
}

export function checkFrame(v: unknown): number {
  if (!Number.isSafeInteger(v) || (v as number) < 0) throw new StoreError('INVALID_ARGUMENT', `frame must be an integer ≥ 0, got ${JSON.stringify(v)}`);
  return v as number;
}

export function checkFinite(what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new StoreError('INVALID_ARGUMENT', `${what} must be a finite number, got ${JSON.stringify(v)}`);
  return v;
}

export function checkText(what: string, v: unknown, maxLength = 200): string {
  if (typeof v !== 'string' || v.length > maxLength) throw new StoreError('INVALID_ARGUMENT', `${what} must be text of at most ${maxLength} characters`);
  return v;
}

/** SQLite reports a missing parent row as a foreign key failure; say which object. */
export function isForeignKeyError(err: unknown): boolean {
  return (err as { code?: string })?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
