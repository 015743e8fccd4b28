#!/usr/bin/env node
// `npm start`: the Electron app where its binary exists, else the browser host (same
// services, same renderer) with its URL printed. Builds first when out/ is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

if (!existsSync('out/main/index.js') || !existsSync('out/renderer/index.html')) {
  console.log('[maskline] building (first start)...');
  const b = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

let electronPath = null;
try {
  const p = require('electron'); // the package exports the binary's path, and throws when it is missing
  if (typeof p === 'string' && existsSync(p)) electronPath = p;
} catch {
  electronPath = null;
}

const forceBrowser = process.argv.includes('--browser') || process.env.MASKLINE_BROWSER === '1';
const args = process.argv.slice(2).filter((a) => a !== '--browser');
const child =
  electronPath && !forceBrowser
    ? spawn(electronPath, ['.', ...args], { stdio: 'inherit' })
    : spawn(process.execPath, ['out/main/host.js', ...args], { stdio: 'inherit' });
if (!electronPath && !forceBrowser) {
  console.log('[maskline] Electron binary not installed: starting the browser host instead.');
}
child.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
