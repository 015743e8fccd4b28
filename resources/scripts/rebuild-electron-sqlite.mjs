#!/usr/bin/env node
// better-sqlite3 has one ABI per build. Node (tests, CLI, browser host) uses the build in
// node_modules; Electron loads this second build through better-sqlite3's `nativeBinding`
// option (see src-main/core/store/native-binding.ts). Needs Electron's headers (internet).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, copyFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const srcDir = dirname(require.resolve('better-sqlite3/package.json'));
const work = resolve('.native/build-better-sqlite3');
const target = resolve('.native/electron');

rmSync(work, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
cpSync(srcDir, work, { recursive: true, filter: (p) => !p.includes(`${join('build', '')}`) });
// npm ships node-gyp and tells lifecycle scripts where it is
const nodeGyp = process.env.npm_config_node_gyp || require.resolve('node-gyp/bin/node-gyp.js');
const r = spawnSync(
  process.execPath,
  [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, '--arch=' + process.arch, '--dist-url=https://electronjs.org/headers'],
  { cwd: work, stdio: 'inherit' },
);
if (r.status !== 0) process.exit(r.status ?? 1);
const built = join(work, 'build', 'Release', 'better_sqlite3.node');
if (!existsSync(built)) process.exit(1);
copyFileSync(built, join(target, 'better_sqlite3.node'));
rmSync(work, { recursive: true, force: true });
console.log(`better-sqlite3 for Electron ${electronVersion}: ${join(target, 'better_sqlite3.node')}`);
