// The job registry: states, throttled events, cancel, cancel-all, failures and stubborn jobs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobRegistry, type JobContext, type JobSnapshot } from '../../../src-main/core/jobs';

function recorder(reg: JobRegistry) {
  const events: JobSnapshot[] = [];
  reg.on((s) => events.push(s));
  return events;
}

/** Resolves when the signal aborts (what a well-behaved job does). */
const untilAborted = (ctx: JobContext) =>
  new Promise<never>((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }));

afterEach(() => {
  vi.useRealTimers();
});

describe('JobRegistry', () => {
  it('runs a job through queued → running → done and keeps it listed', async () => {
    const reg = new JobRegistry();
    const events = recorder(reg);
    const h = reg.create('extract', 'Frames of a.mp4', async (ctx) => {
      ctx.report(5, 10, 'frames');
      return 42;
    });
    expect(await h.outcome).toEqual({ state: 'done', value: 42 });
    // The report came right after 'running': it is held back, then folded into the final event.
    expect(events.map((e) => e.state)).toEqual(['queued', 'running', 'done']);
    expect(events[2]).toMatchObject({ done: 5, total: 10, unit: 'frames' });
    expect(reg.get(h.id)).toMatchObject({ id: h.id, kind: 'extract', label: 'Frames of a.mp4', state: 'done', rate: null, etaSec: null, error: null });
    expect(reg.list().map((j) => j.id)).toEqual([h.id]);
  });

  it('captures a failure as plain data, keeping the error code', async () => {
    const reg = new JobRegistry();
    const h = reg.create('export', 'Export', async () => {
      throw Object.assign(new Error('disk full'), { code: 'DISK_FULL' });
    });
    expect(await h.outcome).toEqual({ state: 'failed', error: { code: 'DISK_FULL', message: 'disk full' } });
    expect(reg.get(h.id)).toMatchObject({ state: 'failed', error: 'disk full' });
    const g = reg.create('x', 'Thrower', async () => {
      throw 'a string';
    });
    expect(await g.outcome).toEqual({ state: 'failed', error: { code: 'JOB_FAILED', message: 'a string' } });
  });

  it('cancel aborts the signal and reports cancelled', async () => {
    const reg = new JobRegistry();
    const events = recorder(reg);
    let seen: AbortSignal | null = null;
    const h = reg.create('track', 'Propagate', async (ctx) => {
      seen = ctx.signal;
      return untilAborted(ctx);
    });
    await vi.waitFor(() => expect(reg.get(h.id)?.state).toBe('running'));
    expect(reg.cancel(h.id)).toBe(true);
    expect(seen!.aborted).toBe(true);
    expect(await h.outcome).toEqual({ state: 'cancelled' });
    await h.settled;
    expect(events.at(-1)?.state).toBe('cancelled');
    expect(reg.cancel(h.id)).toBe(false);
    expect(reg.cancel('no-such-job')).toBe(false);
  });

  it('a job ignoring its signal is still reported cancelled and its late result is dropped', async () => {
    const reg = new JobRegistry();
    const events = recorder(reg);
    let finish!: (v: string) => void;
    const h = reg.create('stubborn', 'Ignores cancel', () => new Promise<string>((r) => (finish = r)));
    await vi.waitFor(() => expect(finish).toBeTypeOf('function'));
    reg.cancel(h.id);
    expect(await h.outcome).toEqual({ state: 'cancelled' });
    let settled = false;
    void h.settled.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe(false);
    finish('late');
    await h.settled;
    expect(reg.get(h.id)?.state).toBe('cancelled');
    expect(events.filter((e) => e.state === 'done')).toEqual([]);
  });

  it('cancelAll cancels queued and running jobs and waits for them to stop', async () => {
    const reg = new JobRegistry();
    const stopped: string[] = [];
    const mk = (name: string) =>
      reg.create(
        'engine',
        name,
        async (ctx) => {
          try {
            await untilAborted(ctx);
          } finally {
            // cleanup takes a while, as killing a process does
            await new Promise((r) => setTimeout(r, 30));
            stopped.push(name);
          }
        },
        { queue: 'engine' },
      );
    const a = mk('a');
    const b = mk('b'); // queued behind a
    const c = reg.create('other', 'c', async (ctx) => untilAborted(ctx).finally(() => stopped.push('c')));
    await vi.waitFor(() => expect(reg.get(a.id)?.state).toBe('running'));
    expect(reg.get(b.id)?.state).toBe('queued');
    const r = await reg.cancelAll(2000);
    expect(r.cancelled.sort()).toEqual([a.id, b.id, c.id].sort());
    expect(r.abandoned).toEqual([]);
    expect(stopped.sort()).toEqual(['a', 'c']); // b never ran
    expect(reg.list().every((j) => j.state === 'cancelled')).toBe(true);
  });

  it('cancelAll gives up on a job that never stops after the grace period', async () => {
    const reg = new JobRegistry();
    const never = reg.create('stubborn', 'never stops', () => new Promise<void>(() => {}));
    const polite = reg.create('polite', 'stops', (ctx) => untilAborted(ctx));
    await vi.waitFor(() => expect(reg.get(never.id)?.state).toBe('running'));
    const t0 = Date.now();
    const r = await reg.cancelAll(100);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(r.abandoned).toEqual([never.id]);
    expect((await polite.outcome).state).toBe('cancelled');
    expect(reg.get(never.id)?.state).toBe('cancelled');
  });

  it('shutdown refuses new jobs', async () => {
    const reg = new JobRegistry();
    await reg.shutdown(10);
    expect(() => reg.create('x', 'late', async () => 1)).toThrow(/shutting down/);
  });

  it('queued jobs of one queue run one at a time, in order', async () => {
    const reg = new JobRegistry();
    const order: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const mk = (n: string) =>
      reg.create(
        'engine',
        n,
        async () => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          order.push(n);
          await new Promise((r) => setTimeout(r, 5));
          running--;
        },
        { queue: 'engine' },
      );
    const hs = ['1', '2', '3'].map(mk);
    await Promise.all(hs.map((h) => h.settled));
    expect(order).toEqual(['1', '2', '3']);
    expect(maxRunning).toBe(1);
  });

  it('throttles progress events to one per period but always sends the latest and the final state', async () => {
    vi.useFakeTimers({ now: 0 });
    const reg = new JobRegistry({ throttleMs: 100 });
    const events = recorder(reg);
    let ctx!: JobContext;
    let finish!: () => void;
    const h = reg.create('x', 'busy', (c) => {
      ctx = c;
      return new Promise<void>((r) => (finish = r));
    });
    await vi.advanceTimersByTimeAsync(0);
    const before = events.length; // queued + running
    for (let i = 1; i <= 1000; i++) {
      ctx.report(i, 1000, 'frames');
      vi.advanceTimersByTime(1); // 1000 reports over 1 s
    }
    const progress = events.slice(before);
    expect(progress.length).toBeGreaterThanOrEqual(9);
    expect(progress.length).toBeLessThanOrEqual(11);
    await vi.advanceTimersByTimeAsync(200);
    expect(events.at(-1)!.done).toBe(1000); // the trailing event carries the latest state
    finish();
    await h.outcome;
    expect(events.at(-1)!.state).toBe('done');
  });

  it('reports a rate and ETA while running', async () => {
    let now = 0;
    const reg = new JobRegistry({ now: () => now, throttleMs: 0 });
    const events = recorder(reg);
    let ctx!: JobContext;
    const h = reg.create('x', 'rated', (c) => {
      ctx = c;
      return untilAborted(c);
    });
    await vi.waitFor(() => expect(ctx).toBeDefined());
    for (let s = 1; s <= 4; s++) {
      now = s * 1000;
      ctx.report(s * 25, 200, 'frames');
    }
    expect(events.at(-1)).toMatchObject({ done: 100, total: 200, rate: 25, etaSec: 4 });
    reg.cancel(h.id);
  });

  it('keeps only the newest finished jobs', async () => {
    const reg = new JobRegistry({ keepFinished: 2 });
    for (let i = 0; i < 5; i++) await reg.create('x', `j${i}`, async () => i).outcome;
    expect(reg.list().map((j) => j.label)).toEqual(['j3', 'j4']);
  });

  it('a listener that throws does not break the job', async () => {
    const reg = new JobRegistry();
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    reg.on(() => {
      throw new Error('bad listener');
    });
    expect((await reg.create('x', 'ok', async () => 1).outcome).state).toBe('done');
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });
});
