// Lint holds the architecture's layering (docs/architecture.md) as rules instead of comments.
// Style is Prettier's (.prettierrc); these rules are about what may import what.
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import svelteParser from 'svelte-eslint-parser';

const electronOnly = { name: 'electron', message: 'electron is imported only in src-main/electron and src-preload (thin shell; core and services run without it).' };
const rawIpc = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Raw IPC lives in src-main/electron/ipc-main.ts and src-preload/ipc-renderer.ts only (one boundary, checked senders).',
};
// import paths are matched as written (relative); a folder name anywhere in the path is enough
const upperLayers = {
  regex: '(^|/)(services|host|electron|engine|cli)(/|$)',
  message: 'core/ is plain Node: it never imports services, host, electron, engine or cli.',
};
const mainFromRenderer = {
  regex: '(^|/)src-main/',
  message: 'The renderer reaches src-main only through the $api (the contract) and $shared (pure code for both sides) aliases.',
};
const nodeFromRenderer = { regex: '^(node:|better-sqlite3$|onnxruntime-node$|fluent-ffmpeg$|electron$)', message: 'The renderer runs in a browser: no Node modules.' };

export default [
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.cache/**', 'models/**', 'resources/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' },
    plugins: { '@typescript-eslint': tseslint.plugin },
  },
  {
    files: ['src-renderer/**/*.svelte'],
    languageOptions: { parser: svelteParser, parserOptions: { parser: tseslint.parser } },
    plugins: { svelte },
  },
  {
    files: ['src-main/**/*.ts', 'src-preload/**/*.ts', 'src-renderer/**/*.ts', 'src-renderer/**/*.svelte'],
    ignores: ['src-main/electron/**', 'src-preload/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnly] }] },
  },
  {
    files: ['src-main/electron/**/*.ts', 'src-preload/**/*.ts'],
    ignores: ['src-main/electron/ipc-main.ts', 'src-preload/ipc-renderer.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [rawIpc] }],
      'no-restricted-properties': ['error', { object: 'electron', property: 'ipcMain' }, { object: 'electron', property: 'ipcRenderer' }],
    },
  },
  {
    files: ['src-main/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnly], patterns: [upperLayers] }] },
  },
  {
    files: ['src-main/api/**/*.ts', 'src-main/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronOnly], patterns: [{ regex: '^\\.\\./(core|services|host|electron|engine|cli)(/|$)', message: 'api/ and shared/ are pure and imported by the renderer: they import only each other.' }, nodeFromRenderer] },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte'],
    rules: { 'no-restricted-imports': ['error', { patterns: [mainFromRenderer, nodeFromRenderer] }] },
  },
];
