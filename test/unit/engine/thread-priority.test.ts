// Reading a thread's id and scheduling from /proc, as tables. lowerThreadPriority itself runs in
// the real pre-encoding thread: test/integration/preencode-scheduler.test.ts reads its threads'
// policy and nice value back from the kernel.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { schedOf, threadIdOf } from '../../../src-main/engine/thread-priority';

describe('threadIdOf: /proc/thread-self → the thread id', () => {
  test.each([
    ['1234/task/1240', 1240],
    ['1234/task/1234\n', 1234],
    ['1234', null],
    ['self/task/x', null],
    ['', null],
  ])('%j → %j', (link, want) => expect(threadIdOf(link)).toBe(want));
});

describe('schedOf: nice (field 19) and policy (field 41) of a stat line', () => {
  // 52 fields as Linux writes them; fields 19 and 41 set, the rest counters
  const line = (comm: string, nice: number, policy: number) => {
    const f = Array.from({ length: 52 }, (_, i) => String(i + 1));
    f[0] = '4242';
    f[1] = `(${comm})`;
    f[2] = 'S';
    f[18] = String(nice);
    f[40] = String(policy);
    return f.join(' ');
  };
  test.each([
    ['a plain name', line('node', 0, 0), { nice: 0, policy: 0 }],
    ['nice 19, SCHED_IDLE', line('node', 19, 5), { nice: 19, policy: 5 }],
    ['a name with spaces and parentheses', line('Web (x) worker', -5, 3), { nice: -5, policy: 3 }],
    ['cut short', '4242 (node) S 1 2', null],
    ['no parenthesis', 'garbage', null],
  ])('%s', (_, stat, want) => expect(schedOf(stat)).toEqual(want));

  test.runIf(process.platform === 'linux')('reads this thread’s real stat', () => {
    expect(schedOf(readFileSync('/proc/thread-self/stat', 'utf8'))).toMatchObject({ policy: 0 });
  });
});
