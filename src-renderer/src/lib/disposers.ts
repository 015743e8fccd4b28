// What an owner (a state class, the workspace) must let go of when it goes away: event
// subscriptions, timers, intervals, animation frames, DOM listeners, effect roots. One bag per
// owner; dispose() releases everything still held, newest first. Anything added after dispose()
// is released at once, so an answer that arrives late cannot re-subscribe or re-arm a timer.
import type { ApiEvents, EventName, MasklineApi } from '$api/contract';

/** Lets go of one thing; calling it again does nothing. */
export type Release = () => void;

const nothing: Release = () => {};

export class Disposers {
  #held = new Set<Release>();
  #disposed = false;

  /** Holds `release` until dispose(); the returned function releases it early (once). */
  add(release: Release): Release {
    if (this.#disposed) {
      release();
      return nothing;
    }
    let done = false;
    const once: Release = () => {
      if (done) return;
      done = true;
      this.#held.delete(once);
      release();
    };
    this.#held.add(once);
    return once;
  }

  /** api.on, released with the bag. */
  on<E extends EventName>(api: Pick<MasklineApi, 'on'>, event: E, listener: (payload: ApiEvents[E]) => void): Release {
    return this.#disposed ? nothing : this.add(api.on(event, listener));
  }

  /** setTimeout; a timer that has fired is no longer held. */
  timeout(fn: () => void, ms: number): Release {
    if (this.#disposed) return nothing;
    const id = setTimeout(() => {
      release();
      fn();
    }, ms);
    const release = this.add(() => clearTimeout(id));
    return release;
  }

  interval(fn: () => void, ms: number): Release {
    if (this.#disposed) return nothing;
    const id = setInterval(fn, ms);
    return this.add(() => clearInterval(id));
  }

  /** requestAnimationFrame; a frame that has run is no longer held. */
  frame(fn: (now: number) => void): Release {
    if (this.#disposed) return nothing;
    const id = requestAnimationFrame((now) => {
      release();
      fn(now);
    });
    const release = this.add(() => cancelAnimationFrame(id));
    return release;
  }

  /** addEventListener, removed with the bag. */
  listen(target: EventTarget, type: string, listener: EventListener, options?: AddEventListenerOptions): Release {
    if (this.#disposed) return nothing;
    target.addEventListener(type, listener, options);
    return this.add(() => target.removeEventListener(type, listener, options));
  }

  /** how many things are held now (tests assert 0 after dispose) */
  get size(): number {
    return this.#held.size;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  dispose(): void {
    this.#disposed = true;
    for (const release of [...this.#held].reverse()) release();
  }
}
