import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Disposers } from '../../../../src-renderer/src/lib/disposers';
import { FakeApi } from './fake-api';
import { fakeFrames } from './fake-frames';

describe('Disposers', () => {
  beforeEach(() => fakeFrames());
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('releases everything it holds, newest first, once', () => {
    const d = new Disposers();
    const order: string[] = [];
    d.add(() => order.push('a'));
    const b = d.add(() => order.push('b'));
    d.add(() => order.push('c'));
    b();
    b();
    expect(order).toEqual(['b']);
    expect(d.size).toBe(2);
    d.dispose();
    d.dispose();
    expect(order).toEqual(['b', 'c', 'a']);
    expect(d.size).toBe(0);
  });

  it('releases at once what is added after dispose (a late answer cannot re-subscribe)', () => {
    const d = new Disposers();
    const api = new FakeApi();
    d.dispose();
    const released = vi.fn();
    d.add(released);
    expect(released).toHaveBeenCalledOnce();
    d.on(api, 'job.updated', () => {});
    d.timeout(() => {}, 10);
    d.interval(() => {}, 10);
    d.frame(() => {});
    expect(api.live).toBe(0);
    expect(api.subscribed).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(d.size).toBe(0);
  });

  it('unsubscribes api.on listeners', () => {
    const d = new Disposers();
    const api = new FakeApi();
    const seen: string[] = [];
    d.on(api, 'job.updated', (j) => seen.push(j.id));
    const off = d.on(api, 'masks.updated', () => seen.push('m'));
    expect(api.live).toBe(2);
    off();
    expect(api.live).toBe(1);
    d.dispose();
    api.emit('job.updated', { id: 'j1' } as never);
    expect(seen).toEqual([]);
    expect(api.live).toBe(0);
  });

  it('forgets a timeout or animation frame once it has run, and clears those still pending', () => {
    const d = new Disposers();
    const ran: string[] = [];
    d.timeout(() => ran.push('t10'), 10);
    d.timeout(() => ran.push('t50'), 50);
    d.frame(() => ran.push('frame'));
    d.interval(() => ran.push('tick'), 20);
    expect(d.size).toBe(4);
    vi.advanceTimersByTime(25);
    expect(ran).toEqual(['t10', 'frame', 'tick']);
    // t50 and the interval are still held; the fired timeout and frame are not
    expect(d.size).toBe(2);
    d.dispose();
    vi.advanceTimersByTime(100);
    expect(ran).toEqual(['t10', 'frame', 'tick']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('removes DOM listeners', () => {
    const d = new Disposers();
    const target = new EventTarget();
    const heard = vi.fn();
    d.listen(target, 'ping', heard);
    target.dispatchEvent(new Event('ping'));
    d.dispose();
    target.dispatchEvent(new Event('ping'));
    expect(heard).toHaveBeenCalledOnce();
  });
});
