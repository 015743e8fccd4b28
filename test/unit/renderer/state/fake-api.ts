// A small typed fake of the renderer's API client for workspace tests: calls answer from the
// handlers a test gives (an unknown method rejects with NOT_FAKED, so a test sees what it did
// not expect), events are emitted by the test, and live subscriptions are counted so a test can
// assert that dispose() let go of every one.
import type { ApiEvents, EventName, MasklineApi, MethodArgs, MethodName, MethodResult } from '$api/contract';
import { ApiCallError } from '$api/errors';

export type FakeHandlers = { [M in MethodName]?: (args: MethodArgs<M>) => MethodResult<M> | Promise<MethodResult<M>> };

type AnyListener = (payload: never) => void;

export class FakeApi implements MasklineApi {
  readonly transport = 'browser' as const;
  /** every call made, in order */
  readonly calls: { method: MethodName; args: unknown }[] = [];
  #listeners = new Map<EventName, Set<AnyListener>>();
  #subscribed = 0;

  constructor(public handlers: FakeHandlers = {}) {}

  call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
    this.calls.push({ method, args });
    const h = this.handlers[method] as ((a: MethodArgs<M>) => MethodResult<M> | Promise<MethodResult<M>>) | undefined;
    if (!h) return Promise.reject(new ApiCallError('NOT_FAKED', `no fake answer for ${method}`));
    try {
      return Promise.resolve(h(args));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    const l = listener as AnyListener;
    set.add(l);
    this.#subscribed++;
    return () => set.delete(l);
  }

  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void {
    for (const l of [...(this.#listeners.get(event) ?? [])]) (l as (p: ApiEvents[E]) => void)(payload);
  }

  frameUrl(videoKey: string, frame: number): string {
    return `fake://frames/${videoKey}/${frame}.jpg`;
  }

  /** subscriptions not released yet */
  get live(): number {
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }

  /** subscriptions made so far (released or not) */
  get subscribed(): number {
    return this.#subscribed;
  }

  /** live subscriptions per event */
  liveByEvent(): Partial<Record<EventName, number>> {
    const out: Partial<Record<EventName, number>> = {};
    for (const [e, set] of this.#listeners) if (set.size) out[e] = set.size;
    return out;
  }

  callsOf(method: MethodName): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }
}
