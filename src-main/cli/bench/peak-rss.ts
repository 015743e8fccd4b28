// The kernel's high-water mark of this process's resident memory: on Linux VmHWM, which a write of
// "5" to /proc/self/clear_refs resets to the current RSS. It sees the peaks inside a graph run
// (lean memory gives activations back when a run ends) that samples taken between frames miss.
// Elsewhere both answer null/false and callers keep their own samples.
import { readFileSync, writeFileSync } from 'node:fs';

/** Starts a new high-water mark at the current RSS; false where the platform has none to reset. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** Bytes: the largest RSS since the last reset (or the process start), or null where unknown. */
export function peakRss(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}
