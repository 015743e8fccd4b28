// The services' outgoing events, typed by the contract; adapters subscribe once and forward.
import type { ApiEvents, EventName } from '../api/contract';
import type { EventMessage } from '../api/bridge';

export class EventBus {
  private readonly listeners = new Set<(m: EventMessage) => void>();

  subscribe(listener: (m: EventMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void {
    const message = { event, payload } as EventMessage;
    for (const l of this.listeners) {
      try {
        l(message);
      } catch (err) {
        console.error(`[services] ${event} listener failed:`, err);
      }
    }
  }
}
