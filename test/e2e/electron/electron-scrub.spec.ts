// The same journey inside Electron (sandboxed renderer, preload bridge, frame protocol).
// Skips itself where the Electron binary is not installed (offline installs).
import { _electron as electron, expect, test, type ElectronApplication } from 'playwright/test';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { makeVideo, tempDir } from '../../helpers/make-video';
import { ROOT } from '../host-process';
import { expectError, openAndShowFirstFrame, openVideo, scrubByDragging, scrubByKeyboard } from '../scenario';

function electronBinary(): string | null {
  try {
    const p = createRequire(import.meta.url)('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();

test.describe('Electron', () => {
  test.skip(!binary, 'the Electron binary is not installed (node_modules/electron/dist is missing, e.g. an offline npm install)');

  let app: ElectronApplication;
  let work: { dir: string; cleanup: () => void };

  test.beforeEach(async () => {
    work = tempDir('maskline-e2e-electron-');
    app = await electron.launch({
      executablePath: binary!,
      // Chromium refuses to start as root with its OS sandbox (CI containers); the renderer stays sandboxed by webPreferences
      args: [ROOT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      cwd: ROOT,
      env: { ...process.env, MASKLINE_DATA_DIR: join(work.dir, 'data') },
    });
  });

  test.afterEach(async () => {
    await app?.close();
    work?.cleanup();
  });

  test('opens a generated video and scrubs by keyboard and by dragging', async ({}, info) => {
    const frames = 50;
    const path = makeVideo(join(work.dir, 'clip with spaces – ü.mp4'), { frames, fps: 25, width: 320, height: 240, pattern: 'colors' });
    const page = await app.firstWindow();
    await expect(page.getByTestId('app')).toHaveAttribute('data-transport', 'electron');
    // the sandboxed renderer sees the bridge only, no Node
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');

    await openVideo(page, join(work.dir, 'missing.mp4'));
    await expectError(page, 'FILE_NOT_FOUND', /missing\.mp4 does not exist/);

    await openAndShowFirstFrame(page, path, frames);
    await scrubByKeyboard(page, frames);
    await scrubByDragging(page, frames, 30);
    await page.screenshot({ path: info.outputPath('electron-frame-30.png') });
  });
});
