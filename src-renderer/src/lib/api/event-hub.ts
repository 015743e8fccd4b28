// Fan-out of events to typed listeners; both transports feed it from their single channel.
import type { ApiEvents, EventName } from '$api/contract';
import type { EventMessage } from '$api/bridge';

type AnyListener = (payload: never) => void;

export class EventHub {
  private listeners = new Map<EventName, Set<AnyListener>>();

  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as AnyListener);
    return () => set!.delete(listener as AnyListener);
  }

  dispatch(message: EventMessage): void {
    const set = this.listeners.get(message.event);
    if (!set) return;
    for (const l of [...set]) {
      try {
        (l as (p: unknown) => void)(message.payload);
      } catch (err) {
        // one broken listener must not starve the others
        console.error(`listener for ${message.event} failed`, err);
      }
    }
  }
}
