// Lowering the calling thread's CPU priority before it starts onnxruntime's session threads,
// which inherit both the nice value and the scheduling policy (Linux: both are per thread).
// Node can set a nice value (os.setPriority with no pid: the calling thread on Linux) but not a
// scheduling policy, so SCHED_IDLE is asked of util-linux's `chrt` for this thread's id, and then
// read back from /proc rather than trusted. What the thread got is reported, never assumed.
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Linux's SCHED_IDLE (sched.h). */
export const SCHED_IDLE = 5;

/** The thread id in /proc/thread-self's target ("<pid>/task/<tid>"), or null. */
export function threadIdOf(threadSelfLink: string): number | null {
  const m = /^\d+\/task\/(\d+)$/.exec(threadSelfLink.trim());
  return m ? Number(m[1]) : null;
}

/** nice (field 19) and policy (field 41) from a /proc/…/stat line; the command name may hold spaces and parentheses. */
export function schedOf(statLine: string): { nice: number; policy: number } | null {
  const close = statLine.lastIndexOf(')');
  if (close < 0) return null;
  // fields from the 3rd (state) on
  const f = statLine
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const nice = Number(f[16]);
  const policy = Number(f[38]);
  return Number.isInteger(nice) && Number.isInteger(policy) ? { nice, policy } : null;
}

/** What the thread ended up with: 'SCHED_IDLE, nice 19', 'nice 19 (SCHED_IDLE refused: …)', 'normal (…)'. */
export function lowerThreadPriority(want: { nice: number | null; idle: boolean }, platform = process.platform): string {
  const notes: string[] = [];
  let nice: string | null = null;
  if (want.nice !== null) {
    try {
      setPriority(want.nice);
      nice = `nice ${want.nice}`;
    } catch (e) {
      notes.push(`nice ${want.nice} refused: ${(e as Error).message}`);
    }
  }
  let idle = false;
  if (want.idle && platform === 'linux') {
    try {
      const tid = threadIdOf(readlinkSync('/proc/thread-self'));
      if (tid === null) throw new Error('no thread id in /proc/thread-self');
      execFileSync('chrt', ['--idle', '-p', '0', String(tid)], { stdio: 'ignore', timeout: 5000 });
      idle = schedOf(readFileSync(`/proc/thread-self/stat`, 'utf8'))?.policy === SCHED_IDLE;
      if (!idle) notes.push('SCHED_IDLE not in effect after chrt');
    } catch (e) {
      notes.push(`SCHED_IDLE refused: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const got = [idle ? 'SCHED_IDLE' : null, nice].filter(Boolean).join(', ') || 'normal';
  return notes.length ? `${got} (${notes.join('; ')})` : got;
}
