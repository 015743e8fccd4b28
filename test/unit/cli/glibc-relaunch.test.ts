// When `--memory lean` starts the command again with glibc's fixed mmap threshold (table).
import { describe, expect, test } from 'vitest';
import { GLIBC_MMAP_TUNABLE } from '../../../src-main/core/sam2/memory-mode';
import { glibcRelaunchTunables, RELAUNCHED_ENV, runsOnGlibc } from '../../../src-main/cli/glibc-relaunch';

describe('glibcRelaunchTunables', () => {
  test.each<[string, string, boolean, 'auto' | 'fast' | 'lean', Record<string, string>, string | null]>([
    ['lean on glibc: relaunch with the threshold', 'linux', true, 'lean', {}, GLIBC_MMAP_TUNABLE],
    [
      'the user’s other tunables are kept',
      'linux',
      true,
      'lean',
      { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' },
      `glibc.malloc.arena_max=2:${GLIBC_MMAP_TUNABLE}`,
    ],
    ['the user’s own threshold wins', 'linux', true, 'lean', { GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=4194304' }, null],
    ['already relaunched: never twice', 'linux', true, 'lean', { [RELAUNCHED_ENV]: '1' }, null],
    ['fast needs nothing', 'linux', true, 'fast', {}, null],
    ['auto resolves later (advice instead)', 'linux', true, 'auto', {}, null],
    ['musl: no such tunable', 'linux', false, 'lean', {}, null],
    ['macOS', 'darwin', false, 'lean', {}, null],
    ['Windows', 'win32', false, 'lean', {}, null],
  ])('%s', (_, platform, glibc, memory, env, want) => {
    expect(glibcRelaunchTunables(platform, glibc, memory, env)).toBe(want);
  });

  test.runIf(process.platform === 'linux')('this Debian machine runs on glibc', () => expect(runsOnGlibc()).toBe(true));
});
