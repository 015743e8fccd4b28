import { defineConfig } from 'playwright/test';

// Browser mode runs against Debian's Chromium (no Playwright browser download here).
// Specs under e2e/electron/ drive Electron through `_electron` and skip themselves when
// the Electron binary is not installed.
export default defineConfig({
  testDir: './e2e',
  outputDir: '../test-results/e2e',
  timeout: 180_000,
  workers: 1,
  reporter: [['list']],
  use: {
    launchOptions: {
      executablePath: process.env.MASKLINE_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    },
    screenshot: 'only-on-failure',
  },
});
