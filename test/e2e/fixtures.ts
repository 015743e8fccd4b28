// Each browser spec gets its own host (temp data dir) and a generated video whose frame i
// is painted frameColor(i), so a pixel read from the canvas says which frame is shown.
import { test as base } from 'playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeVideo, tempDir } from '../helpers/make-video';
import { startHostProcess, type HostProcess } from './host-process';

export interface E2eVideo {
  path: string;
  frames: number;
  fps: number;
}

export const test = base.extend<{
  workDir: string;
  host: HostProcess;
  clip: E2eVideo;
  /**
   * MASKLINE_MODELS for the host: a pack folder (e.g. MICRO_PACK) or a folder of packs.
   * Default: an empty folder, so a spec sees exactly the packs it asks for.
   */
  models: string | null;
  /** true: the host also reads the catalog at `<workDir>/catalog.json` (MASKLINE_CATALOG), which the spec writes */
  testCatalog: boolean;
}>({
  models: [null, { option: true }],
  testCatalog: [false, { option: true }],
  // eslint-disable-next-line no-empty-pattern
  workDir: async ({}, use) => {
    const t = tempDir('maskline-e2e-');
    await use(t.dir);
    t.cleanup();
  },
  host: async ({ workDir, models, testCatalog }, use) => {
    const empty = join(workDir, 'no-models');
    mkdirSync(empty, { recursive: true });
    const env: Record<string, string> = { MASKLINE_MODELS: models ?? empty };
    if (testCatalog) env.MASKLINE_CATALOG = join(workDir, 'catalog.json');
    const host = await startHostProcess(join(workDir, 'data'), [], 20_000, env);
    await use(host);
    await host.stop();
  },
  clip: async ({ workDir }, use) => {
    // a space and non-ASCII letters in the path: they must survive every layer
    const frames = 50;
    const path = makeVideo(join(workDir, 'clip with spaces – ü.mp4'), { frames, fps: 25, width: 320, height: 240, pattern: 'colors' });
    await use({ path, frames, fps: 25 });
  },
});

export { expect } from 'playwright/test';
