import { delimiter, join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { installFolder, modelsFolders } from '../../../src-main/core/models/paths';

const user = resolve('/data/maskline');

test.each([
  ['user only', { userDataDir: user, env: {} }, [[join(user, 'models'), 'user']]],
  ['development checkout', { userDataDir: user, repoRoot: '/src/maskline', env: {} }, [[join(user, 'models'), 'user'], [resolve('/src/maskline/models'), 'repo']]],
  [
    'MASKLINE_MODELS first, empty parts ignored, duplicates dropped',
    { userDataDir: user, env: { MASKLINE_MODELS: ['/packs/a', '', join(user, 'models'), '/packs/b '].join(delimiter) } },
    [[resolve('/packs/a'), 'env'], [join(user, 'models'), 'env'], [resolve('/packs/b'), 'env']],
  ],
] as const)('%s', (_label, opts, want) => {
  expect(modelsFolders(opts).map((f) => [f.path, f.origin])).toEqual(want);
});

test('downloads and imports go to <userData>/models', () => {
  expect(installFolder(user)).toBe(join(user, 'models'));
});
