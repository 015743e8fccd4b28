// What to do with a database (migrate, accept, refuse) and which SQLite addon to load.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  APPLICATION_ID,
  ELECTRON_BINDING_RELATIVE,
  StoreError,
  chooseNativeBinding,
  judgeSchema,
  migrations,
  nativeBindingOption,
  type Migration,
} from '../../../src-main/core/store';

const list: Migration[] = [1, 2, 3].map((version) => ({ version, name: `v${version}`, up: () => {} }));

describe('judgeSchema', () => {
  const table: [string, { userVersion: number; applicationId: number; tableCount: number }, string, number[] | string][] = [
    ['new empty file', { userVersion: 0, applicationId: 0, tableCount: 0 }, 'migrate', [1, 2, 3]],
    ['ours, one behind', { userVersion: 2, applicationId: APPLICATION_ID, tableCount: 6 }, 'migrate', [3]],
    ['ours, current', { userVersion: 3, applicationId: APPLICATION_ID, tableCount: 6 }, 'up-to-date', []],
    ['ours, from a newer app', { userVersion: 4, applicationId: APPLICATION_ID, tableCount: 7 }, 'refuse', 'SCHEMA_TOO_NEW'],
    ['another program (its id)', { userVersion: 0, applicationId: 0x12345678, tableCount: 2 }, 'refuse', 'NOT_A_PROJECT'],
    ['another program (tables, no id)', { userVersion: 0, applicationId: 0, tableCount: 2 }, 'refuse', 'NOT_A_PROJECT'],
    ['another program with a version', { userVersion: 7, applicationId: 0, tableCount: 1 }, 'refuse', 'NOT_A_PROJECT'],
  ];
  it.each(table)('%s', (_n, facts, action, detail) => {
    const v = judgeSchema(facts, list);
    expect(v.action).toBe(action);
    if (v.action === 'migrate') expect(v.pending.map((m) => m.version)).toEqual(detail);
    if (v.action === 'refuse') expect(v.code).toBe(detail);
  });

  it('the app migrations are numbered 1, 2, … without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });
});

describe('chooseNativeBinding', () => {
  const roots = ['/app/out/main', '/app'];
  const at =
    (...present: string[]) =>
    (p: string) =>
      present.includes(p);
  const table: [string, Parameters<typeof chooseNativeBinding>[0], ReturnType<typeof chooseNativeBinding>][] = [
    ['Node: node_modules build', { electronVersion: undefined, envOverride: undefined, searchRoots: roots, exists: at() }, { kind: 'default' }],
    [
      'Electron: the rebuilt addon',
      { electronVersion: '39.8.10', envOverride: undefined, searchRoots: roots, exists: at(join('/app', ELECTRON_BINDING_RELATIVE)) },
      { kind: 'file', path: join('/app', ELECTRON_BINDING_RELATIVE) },
    ],
    [
      'Electron: nearest root first',
      { electronVersion: '39.8.10', envOverride: undefined, searchRoots: roots, exists: () => true },
      { kind: 'file', path: join('/app/out/main', ELECTRON_BINDING_RELATIVE) },
    ],
    [
      'Electron without the rebuilt addon',
      { electronVersion: '39.8.10', envOverride: undefined, searchRoots: roots, exists: at() },
      { kind: 'missing', searched: roots.map((r) => join(r, ELECTRON_BINDING_RELATIVE)) },
    ],
    [
      'explicit file',
      { electronVersion: undefined, envOverride: '/x/b.node', searchRoots: roots, exists: at('/x/b.node') },
      { kind: 'file', path: '/x/b.node' },
    ],
    [
      'explicit file missing',
      { electronVersion: '39.8.10', envOverride: '/x/b.node', searchRoots: roots, exists: at() },
      { kind: 'missing', searched: ['/x/b.node'] },
    ],
  ];
  it.each(table)('%s', (_n, input, choice) => {
    expect(chooseNativeBinding(input)).toEqual(choice);
  });

  afterEach(() => {
    delete process.env.MASKLINE_SQLITE_BINDING;
  });

  it('under Node uses the default build, and a missing override is a clear error', () => {
    expect(nativeBindingOption()).toBeUndefined();
    process.env.MASKLINE_SQLITE_BINDING = '/nowhere/better_sqlite3.node';
    expect(() => nativeBindingOption()).toThrow(StoreError);
    expect(() => nativeBindingOption()).toThrow(/rebuild-electron-sqlite\.mjs/);
  });
});
