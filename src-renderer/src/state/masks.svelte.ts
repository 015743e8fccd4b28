// Masks per frame, as the services describe them: filled by prompt answers (drawn at once),
// by masks.updated while a propagation streams, and by masks.frame for frames the user
// visits. An LRU of FrameMasks (run lengths are small: thousands of frames fit); `version`
// bumps at most once per animation frame while a propagation streams, so 30 masks/s never
// cost more than one repaint per display frame.
import type { FrameMasks, MasklineApi } from '$api/contract';
import { Lru } from '../lib/lru';
import { Disposers, type Release } from '../lib/disposers';
import type { WorkspaceContext } from './context';
import type { ErrorsState } from './errors.svelte';

const CAPACITY = 4000;

export class MasksState {
  /** read through get() so drawing code re-runs when masks arrive */
  version = $state(0);

  #cache = new Lru<number, FrameMasks>(CAPACITY);
  /**
   * Frames known only from a stream: an update may hold only the objects that run computed
   * (re-propagation stops per object), so the full frame is fetched once when visited.
   */
  #partial = new Set<number>();
  #inflight = new Set<number>();
  /** frames that changed while their fetch was in flight: the answer is stale, fetch again */
  #dirty = new Set<number>();
  /** frames whose fetch failed: not retried until something changes (no request storm) */
  #failed = new Set<number>();
  /** the repaint waiting for the next animation frame */
  #frame: Release | null = null;
  #subs = new Disposers();

  constructor(private readonly ctx: Pick<WorkspaceContext, 'api' | 'errors'>) {
    this.#subs.on(ctx.api, 'masks.updated', (fm) => this.merge(fm));
  }

  private get api(): MasklineApi {
    return this.ctx.api;
  }

  private get errors(): ErrorsState {
    return this.ctx.errors;
  }

  /** Stops listening and drops a pending repaint. */
  dispose(): void {
    this.#subs.dispose();
  }

  get(frame: number): FrameMasks | undefined {
    void this.version;
    return this.#cache.peek(frame);
  }

  /** The answer to a prompt holds every object's mask on the frame: it replaces the entry. */
  put(fm: FrameMasks): void {
    this.#cache.set(fm.frame, { frame: fm.frame, masks: [...fm.masks] });
    this.#partial.delete(fm.frame);
    this.#failed.delete(fm.frame);
    if (this.#inflight.has(fm.frame)) this.#dirty.add(fm.frame);
    this.#bump(true);
  }

  /** A propagation streams the objects it computed: replace those, keep the others. */
  merge(fm: FrameMasks): void {
    const old = this.#cache.peek(fm.frame);
    const ids = new Set(fm.masks.map((m) => m.objectId));
    const kept = old ? old.masks.filter((m) => !ids.has(m.objectId)) : [];
    this.#cache.set(fm.frame, { frame: fm.frame, masks: [...kept, ...fm.masks] });
    if (!old) this.#partial.add(fm.frame);
    if (this.#inflight.has(fm.frame)) this.#dirty.add(fm.frame);
    this.#failed.delete(fm.frame);
    this.#bump(false);
  }

  dropObject(objectId: number): void {
    for (const frame of [...this.#cache.keys()]) {
      const fm = this.#cache.peek(frame)!;
      if (fm.masks.some((m) => m.objectId === objectId)) this.#cache.set(frame, { frame, masks: fm.masks.filter((m) => m.objectId !== objectId) });
    }
    this.#bump(true);
  }

  /** Undo/redo and reopening change masks anywhere: forget them all; visited frames refetch. */
  invalidate(): void {
    for (const f of this.#inflight) this.#dirty.add(f);
    this.#cache.clear();
    this.#partial.clear();
    this.#failed.clear();
    this.#bump(true);
  }

  /** Make sure the frame's full masks are here (one request at a time per frame). */
  ensure(frame: number): void {
    if ((this.#cache.has(frame) && !this.#partial.has(frame)) || this.#inflight.has(frame) || this.#failed.has(frame)) return;
    this.#inflight.add(frame);
    this.api.call('masks.frame', { frame }).then(
      (fm) => {
        this.#inflight.delete(frame);
        if (this.#dirty.delete(frame)) {
          // a prompt answer or a stream landed meanwhile; if it was complete we are done
          if (this.#partial.has(frame) || !this.#cache.has(frame)) this.ensure(frame);
          return;
        }
        this.put(fm);
      },
      (err) => {
        this.#inflight.delete(frame);
        this.#dirty.delete(frame);
        this.#failed.add(frame);
        // one banner for a failing source, not one per frame visited
        this.errors.push(err, 'Reading masks');
      },
    );
  }

  #bump(now: boolean): void {
    if (now) {
      this.#frame?.();
      this.#frame = null;
      this.version++;
      return;
    }
    if (this.#frame) return;
    this.#frame = this.#subs.frame(() => {
      this.#frame = null;
      this.version++;
    });
  }
}
