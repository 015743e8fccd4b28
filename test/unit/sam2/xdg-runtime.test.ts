import { statSync } from 'node:fs';
import { expect, test } from 'vitest';
import { ensureXdgRuntimeDir } from '../../../src-main/core/sam2/xdg-runtime';

test.skipIf(process.platform !== 'linux')('XDG_RUNTIME_DIR: a private folder when unset, left alone when set', () => {
  const saved = process.env.XDG_RUNTIME_DIR;
  try {
    delete process.env.XDG_RUNTIME_DIR;
    ensureXdgRuntimeDir();
    const dir = process.env.XDG_RUNTIME_DIR!;
    expect(dir).toMatch(/maskline-xdg-/);
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(statSync(dir).mode & 0o077).toBe(0);
    process.env.XDG_RUNTIME_DIR = '/run/user/elsewhere';
    ensureXdgRuntimeDir();
    expect(process.env.XDG_RUNTIME_DIR).toBe('/run/user/elsewhere');
  } finally {
    if (saved === undefined) delete process.env.XDG_RUNTIME_DIR;
    else process.env.XDG_RUNTIME_DIR = saved;
  }
});
