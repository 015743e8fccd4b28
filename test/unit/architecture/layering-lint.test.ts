// The layering rules of docs/architecture.md are ESLint rules (eslint.config.js); this proves
// each rule fires where it must and stays quiet where an import is allowed, so a config change
// that silently disables one fails here. `npm run lint` applies them to the whole tree.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../fixtures/sam2-micro/build';

const eslint = new ESLint({ cwd: REPO_ROOT });

async function violations(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}/${file}` });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

const table: [string, string, string, boolean][] = [
  ['core importing services', 'src-main/core/video/probe-x.ts', "import { a } from '../../services/app-services';", true],
  ['core importing the engine worker', 'src-main/core/sam2/x.ts', "import { a } from '../../engine/engine-client';", true],
  ['core importing the host', 'src-main/core/export/x.ts', "import { a } from '../../host/server';", true],
  ['core importing cli', 'src-main/core/models/x.ts', "import { a } from '../../cli/args';", true],
  ['core importing core', 'src-main/core/video/x.ts', "import { a } from '../masks/rle';", false],
  ['core importing shared', 'src-main/core/store/x.ts', "import { a } from '../../shared/palette';", false],
  ['services importing electron', 'src-main/services/x.ts', "import { app } from 'electron';", true],
  ['the electron shell importing electron', 'src-main/electron/x.ts', "import { app } from 'electron';", false],
  ['raw ipcMain outside ipc-main.ts', 'src-main/electron/x.ts', "import { ipcMain } from 'electron';", true],
  ['raw ipcMain in ipc-main.ts', 'src-main/electron/ipc-main.ts', "import { ipcMain } from 'electron';", false],
  ['raw ipcRenderer outside ipc-renderer.ts', 'src-preload/index-x.ts', "import { ipcRenderer } from 'electron';", true],
  [
    'electron.ipcMain through the module object',
    'src-main/electron/x.ts',
    "import * as electron from 'electron'; electron.ipcMain.handle('x', () => 1);",
    true,
  ],
  ['renderer importing core', 'src-renderer/src/lib/x.ts', "import { a } from '../../../src-main/core/store/objects';", true],
  ['renderer importing services', 'src-renderer/src/lib/x.ts', "import { a } from '../../../src-main/services/workflow/segment';", true],
  ['renderer importing the contract', 'src-renderer/src/lib/x.ts', "import type { A } from '$api/contract';", false],
  ['renderer importing shared', 'src-renderer/src/lib/x.ts', "import { a } from '$shared/palette';", false],
  ['renderer importing the contract by a deep path', 'src-renderer/src/lib/x.ts', "import type { A } from '../../../src-main/api/contract';", true],
  ['renderer importing Node', 'src-renderer/src/lib/x.ts', "import { readFileSync } from 'node:fs';", true],
  [
    'a component importing services',
    'src-renderer/src/components/X.svelte',
    '<script lang="ts">import { a } from \'../../../src-main/services/x\';</script>',
    true,
  ],
  ['shared importing core', 'src-main/shared/x.ts', "import { a } from '../core/store';", true],
  ['api importing services', 'src-main/api/x.ts', "import { a } from '../services/handlers';", true],
];

describe('layering lint rules', () => {
  it.each(table)('%s (%s) → violation: %s', async (_name, file, code, bad) => {
    const found = await violations(file, code);
    if (bad) expect(found.length, `expected a violation, got ${JSON.stringify(found)}`).toBeGreaterThan(0);
    else expect(found).toEqual([]);
  });
});
