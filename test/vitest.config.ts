import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  // the renderer's aliases (electron.vite.config.ts), for unit tests of renderer modules
  resolve: { alias: { $api: `${root}src-main/api`, $shared: `${root}src-main/shared` } },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    // 2-core machines: two test files at a time; onnxruntime tests pin their own thread counts
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
