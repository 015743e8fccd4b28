// Small tmpfs mounts for "disk full" and "read-only" cases. Tests run as root on our machines,
// where chmod does not stop writes, so these cases mount a real file system of a few KiB/MiB;
// where mounting is not allowed the tests that need it skip with that reason.
import { execFileSync } from 'node:child_process';
import { tempDir } from './make-video';

/** Whether this process can mount a tmpfs (root, and a kernel/sandbox that allows it). */
export function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = tempDir('maskline-mount-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', probe.dir], { stdio: 'ignore' });
    execFileSync('umount', [probe.dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    probe.cleanup();
  }
}

/** Mounts a tmpfs with `options` (e.g. 'size=512k') at `at`; returns the unmount. */
export function mountTmpfs(at: string, options: string): () => void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', at], { stdio: 'ignore' });
  return () => execFileSync('umount', [at], { stdio: 'ignore' });
}
