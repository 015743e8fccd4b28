// Per-project key/value settings (e.g. the last selected model pack), stored as JSON.
import type Database from 'better-sqlite3';
import { writing } from './errors';
import { checkText } from './validate';

/** Keys the app uses; other code may add its own. */
export const SETTING_KEYS = {
  lastPack: 'lastPack',
  lastPackFamily: 'lastPackFamily',
  lastLabelModel: 'lastLabelModel',
  currentFrame: 'currentFrame',
  view: 'view',
} as const;

export class SettingsRepo {
  constructor(private readonly db: Database.Database) {}

  get<T = unknown>(key: string): T | null {
    const r = this.db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(checkText('setting key', key));
    return r ? (JSON.parse(r.value) as T) : null;
  }

  set(key: string, value: unknown): void {
    checkText('setting key', key);
    const json = JSON.stringify(value ?? null);
    writing(this.db, () =>
      this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, json),
    );
  }

  delete(key: string): void {
    writing(this.db, () => this.db.prepare('DELETE FROM settings WHERE key = ?').run(key));
  }
}
