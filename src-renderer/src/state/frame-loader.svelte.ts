// Decoded frames around the playhead: the current frame first, then its neighbours (see
// lib/prefetch), a few requests at a time, decoded off the main thread by
// createImageBitmap, kept in an LRU sized by memory. Loads that fall out of the window
// when the playhead jumps are aborted so a fast scrub never queues behind stale work.
import type { MasklineApi } from '$api/contract';
import { Disposers, type Release } from '../lib/disposers';
import { Lru } from '../lib/lru';
import { cacheCapacity, prefetchOrder, prefetchWindow } from '../lib/prefetch';
import type { WorkspaceContext } from './context';

const MAX_IN_FLIGHT = 4;
const RETRY_MS = 250;

export class FrameLoader {
  /** bumps whenever a frame arrives; read through get() so drawing code re-runs */
  version = $state(0);

  #cache: Lru<number, ImageBitmap>;
  #inflight = new Map<number, AbortController>();
  #missing = new Set<number>();
  #retry: Release | null = null;
  #timers = new Disposers();
  #key = '';
  #frames = 0;
  #ready = 0;
  #center = 0;
  #playing = false;
  #capacity = 64;

  constructor(private readonly ctx: Pick<WorkspaceContext, 'api'>) {
    this.#cache = new Lru(this.#capacity, (_f, bmp) => bmp.close());
  }

  private get api(): MasklineApi {
    return this.ctx.api;
  }

  /** Aborts the loads in flight, closes the cached bitmaps and drops the retry timer. */
  dispose(): void {
    this.clear();
    this.#timers.dispose();
  }

  setVideo(key: string, frames: number, width: number, height: number): void {
    if (key === this.#key && frames === this.#frames) return;
    this.clear();
    this.#key = key;
    this.#frames = frames;
    this.#capacity = cacheCapacity(width, height);
    this.#cache.resize(this.#capacity);
  }

  clear(): void {
    for (const c of this.#inflight.values()) c.abort();
    this.#inflight.clear();
    this.#missing.clear();
    this.#retry?.();
    this.#retry = null;
    this.#cache.clear();
    this.#key = '';
    this.#frames = 0;
    this.#ready = 0;
    this.version++;
  }

  /** Frames 0 … ready-1 exist in the cache folder. */
  setReady(ready: number): void {
    if (ready === this.#ready) return;
    if (ready > this.#ready) this.#missing.clear();
    this.#ready = ready;
    this.#pump();
  }

  focus(center: number, playing: boolean): void {
    this.#center = center;
    this.#playing = playing;
    this.#pump();
  }

  get(frame: number): ImageBitmap | undefined {
    void this.version;
    return this.#cache.peek(frame);
  }

  #pump(): void {
    if (!this.#key) return;
    const plan = prefetchOrder(this.#center, this.#frames, this.#ready, prefetchWindow(this.#playing, this.#capacity));
    const wanted = new Set(plan);
    for (const [f, ctrl] of this.#inflight) {
      if (!wanted.has(f)) {
        ctrl.abort();
        this.#inflight.delete(f);
      }
    }
    for (const f of plan) {
      if (this.#inflight.size >= MAX_IN_FLIGHT) break;
      if (this.#cache.has(f) || this.#inflight.has(f) || this.#missing.has(f)) continue;
      void this.#load(f, plan);
    }
  }

  async #load(frame: number, plan: number[]): Promise<void> {
    const ctrl = new AbortController();
    const key = this.#key;
    this.#inflight.set(frame, ctrl);
    try {
      const res = await fetch(this.api.frameUrl(key, frame), { signal: ctrl.signal });
      if (!res.ok) {
        // written a moment later than the progress said, or the cache went away: retry soon
        this.#missing.add(frame);
        this.#scheduleRetry();
        return;
      }
      const bmp = await createImageBitmap(await res.blob());
      if (ctrl.signal.aborted || key !== this.#key) {
        bmp.close();
        return;
      }
      // the frame on screen and its nearest neighbours are the last to go
      this.#cache.set(frame, bmp, new Set([this.#center, ...plan.slice(0, 3)]));
      this.version++;
    } catch (err) {
      if (!ctrl.signal.aborted) {
        this.#missing.add(frame);
        this.#scheduleRetry();
        console.warn(`frame ${frame} failed to load`, err);
      }
    } finally {
      if (this.#inflight.get(frame) === ctrl) this.#inflight.delete(frame);
      if (key === this.#key) this.#pump();
    }
  }

  #scheduleRetry(): void {
    if (this.#retry) return;
    this.#retry = this.#timers.timeout(() => {
      this.#retry = null;
      this.#missing.clear();
      this.#pump();
    }, RETRY_MS);
  }
}
