// Bring a database up to the app's schema, or refuse it without touching it.
import type Database from 'better-sqlite3';
import { StoreError } from './errors';
import { APPLICATION_ID, type Migration } from './schema';

export type SchemaVerdict =
  { action: 'up-to-date' } | { action: 'migrate'; pending: Migration[] } | { action: 'refuse'; code: 'SCHEMA_TOO_NEW' | 'NOT_A_PROJECT'; reason: string };

/**
 * What to do with a database, from what it says about itself. Pure, so it is table-tested.
 * A file with tables but neither our application id nor a version is someone else's database.
 */
export function judgeSchema(found: { userVersion: number; applicationId: number; tableCount: number }, list: readonly Migration[]): SchemaVerdict {
  const latest = list.length ? list[list.length - 1]!.version : 0;
  if (found.applicationId !== 0 && found.applicationId !== APPLICATION_ID) {
    return { action: 'refuse', code: 'NOT_A_PROJECT', reason: `its application id is 0x${found.applicationId.toString(16)}, not Maskline's` };
  }
  if (found.applicationId === 0 && found.tableCount > 0) {
    return { action: 'refuse', code: 'NOT_A_PROJECT', reason: 'it is a SQLite database of another program' };
  }
  if (found.userVersion > latest) {
    return {
      action: 'refuse',
      code: 'SCHEMA_TOO_NEW',
      reason: `it was written by a newer Maskline (schema version ${found.userVersion}; this app knows up to ${latest})`,
    };
  }
  const pending = list.filter((m) => m.version > found.userVersion);
  return pending.length ? { action: 'migrate', pending } : { action: 'up-to-date' };
}

export function readSchemaFacts(db: Database.Database): { userVersion: number; applicationId: number; tableCount: number } {
  return {
    userVersion: db.pragma('user_version', { simple: true }) as number,
    applicationId: db.pragma('application_id', { simple: true }) as number,
    tableCount: (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n,
  };
}

/** Check, then apply pending migrations, each in its own transaction with its version bump. */
export function migrate(db: Database.Database, list: readonly Migration[], file: string): { from: number; to: number } {
  const facts = readSchemaFacts(db);
  const verdict = judgeSchema(facts, list);
  if (verdict.action === 'refuse') {
    const hint = verdict.code === 'SCHEMA_TOO_NEW' ? ' Update Maskline to open it; it was left unchanged.' : ' It was left unchanged.';
    throw new StoreError(verdict.code, `${file} cannot be opened: ${verdict.reason}.${hint}`, { file, found: facts });
  }
  if (verdict.action === 'up-to-date') return { from: facts.userVersion, to: facts.userVersion };
  let to = facts.userVersion;
  for (const m of verdict.pending) {
    db.transaction(() => {
      m.up(db);
      // PRAGMA values cannot be bound parameters; these are integers we control.
      db.pragma(`user_version = ${Math.trunc(m.version)}`);
      if (facts.applicationId === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
    })();
    to = m.version;
  }
  return { from: facts.userVersion, to };
}
