#!/usr/bin/env node
// Project postinstall: the downloads that need more than the npm registry.
//
// package.json's "allowScripts" denies the install scripts of electron, ffmpeg-static and
// onnxruntime-node, so `npm install` never fails because GitHub or NuGet is unreachable.
// Here we run each of those downloads ourselves and only warn when one fails: on a
// machine with internet everything is fetched; offline the app still works (browser host,
// ffmpeg from @ffmpeg-installer or the system, onnxruntime on CPU).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const skip = process.env.MASKLINE_SKIP_DOWNLOADS === '1';

function packageDir(name) {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

/** The line of a failed download's output that says why (not its stack trace). */
function reason(output) {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  const host = lines.find((l) => /hostname:/.test(l));
  const code = lines.find((l) => /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH)\b/.test(l));
  if (code) return `${code.replace(/^.*?(E[A-Z_]+).*$/, '$1')}${host ? ` (${host.replace(/[',]/g, '')})` : ''}`;
  return lines.find((l) => /error/i.test(l) && !/^at /.test(l)) ?? lines.at(-1) ?? '';
}

function runStep(title, dir, args, env = {}) {
  if (!dir) {
    console.warn(`[maskline] ${title}: package not installed, skipped`);
    return false;
  }
  const r = spawnSync(process.execPath, args, {
    cwd: dir,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 10 * 60 * 1000,
  });
  if (r.status === 0) {
    console.log(`[maskline] ${title}: ok`);
    return true;
  }
  console.warn(`[maskline] WARNING ${title} failed (offline?): ${reason(`${r.stderr || ''}\n${r.stdout || ''}`) || `exit ${r.status}`}`);
  return false;
}

if (skip) {
  console.log('[maskline] MASKLINE_SKIP_DOWNLOADS=1: no binary downloads attempted');
} else {
  const electronDir = packageDir('electron');
  const gotElectron = runStep('Electron binary download', electronDir, ['install.js']);
  if (!gotElectron) {
    console.warn('[maskline] Without the Electron binary, `npm start` serves the UI to your browser instead.');
  }

  runStep('ffmpeg-static binary download', packageDir('ffmpeg-static'), ['install.js']);

  // CUDA execution-provider libraries (Linux x64 only): onnxruntime-node fetches them from NuGet.
  if (process.platform === 'linux' && process.arch === 'x64') {
    const ortDir = packageDir('onnxruntime-node');
    const ok = runStep('onnxruntime-node CUDA libraries download', ortDir, ['script/install.js'], {
      // its script exits early when it believes it is being developed locally; we want the real install
      npm_config_local_prefix: '',
    });
    if (!ok) console.warn('[maskline] The SAM 2 engine will run on the CPU execution provider.');
  }

  // better-sqlite3 is compiled for this Node.js. Electron needs a build for its own ABI;
  // it goes to .native/electron so tests, the CLI and the browser host keep the Node build.
  if (gotElectron || (electronDir && existsSync(join(electronDir, 'dist')))) {
    runStep('better-sqlite3 build for Electron', process.cwd(), ['resources/scripts/rebuild-electron-sqlite.mjs']);
  }
}
