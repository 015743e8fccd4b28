// Node has no animation frames: tests of the renderer's states get fake timers with
// requestAnimationFrame faked too (a 16 ms timer), so vi.getTimerCount() counts frames as well.
import { vi } from 'vitest';

export function fakeFrames(): void {
  // fake-timers replaces only the globals that exist: give it ones to replace
  vi.stubGlobal('requestAnimationFrame', () => 0);
  vi.stubGlobal('cancelAnimationFrame', () => {});
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'requestAnimationFrame', 'cancelAnimationFrame'] });
}
