import { configDefaults, defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// tests of the renderer's rune classes (state/*.svelte.ts): they run where runes compile for the
// client (typechecked with the renderer, by svelte-check: they need the DOM's types)
const RUNE_TESTS = 'test/unit/renderer/state/**/*.test.ts';

export default defineConfig({
  root,
  // compiles *.svelte.ts (the renderer's rune classes) for the tests that import them
  plugins: [svelte({ configFile: false })],
  // the renderer's aliases (electron.vite.config.ts), for unit tests of renderer modules
  resolve: { alias: { $api: `${root}src-main/api`, $shared: `${root}src-main/shared` } },
  test: {
    environment: 'node',
    // 2-core machines: two test files at a time; onnxruntime tests pin their own thread counts
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'], exclude: [...configDefaults.exclude, RUNE_TESTS] },
      },
      {
        extends: true,
        // Svelte's client runtime (svelte resolved with the browser condition, not its server build)
        resolve: { conditions: ['browser'] },
        test: { name: 'runes', include: [RUNE_TESTS], environment: './test/helpers/rune-environment.ts', server: { deps: { inline: ['svelte'] } } },
      },
    ],
  },
});
