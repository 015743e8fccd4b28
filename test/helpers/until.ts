// Polling for a condition, as the integration tests wait for what happens in other threads and processes.

/** Polls `fn` (sync or async) every `everyMs` until it gives a truthy value, which it returns. */
export async function until<T>(
  fn: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what = 'a condition',
  timeoutMs = 60_000,
  everyMs = 10,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
