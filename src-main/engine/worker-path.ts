// Where a built worker entry (out/main/<name>.js) is: next to this module when bundled, else
// out/main of the repository (tests and tools that run the TypeScript sources).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineError } from '../core/sam2/errors';

export function builtWorkerPath(name: 'engine-worker' | 'preencode-worker'): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const file = `${name}.js`;
  const candidates = [join(here, file), join(here, '..', file)];
  for (let d = here, i = 0; i < 6; i++, d = dirname(d)) candidates.push(join(d, 'out', 'main', file));
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new EngineError('WORKER', `the ${name} is not built (looked for ${file} near ${here}); run \`npm run build\``);
  return resolve(found);
}
