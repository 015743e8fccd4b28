import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// One build produces everything that ships:
// - main: the Electron main process plus the plain-Node entry points that share the
//   same core services (CLI, browser host, engine worker thread);
// - preload: the sandboxed bridge (CommonJS, because sandboxed preloads cannot be ESM);
// - renderer: the Svelte 5 UI, served by Electron or by the browser host.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve('src-main/electron/main.ts'),
          cli: resolve('src-main/cli/main.ts'),
          host: resolve('src-main/host/main.ts'),
          'engine-worker': resolve('src-main/engine/worker.ts'),
          'preencode-worker': resolve('src-main/engine/preencode-worker.ts'),
          'labels-worker': resolve('src-main/labels-worker/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    // relative asset URLs: the same build loads from file:// in Electron and from the browser host
    base: './',
    plugins: [svelte()],
    // the renderer reaches src-main only through these two (the layering lint holds it)
    resolve: { alias: { $api: resolve('src-main/api'), $shared: resolve('src-main/shared') } },
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve('src-renderer/index.html') } },
    },
  },
});
