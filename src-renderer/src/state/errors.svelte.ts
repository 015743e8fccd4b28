// Problems the user should see: failed calls (with the API's code), start-up warnings, and
// notices (an edit refused before it reached the services, e.g. a click during a
// propagation), which go away by themselves.
import { ApiCallError } from '$api/errors';
import { Disposers } from '../lib/disposers';
import type { Refusal } from '../lib/edit-rules';

export interface ShownError {
  id: number;
  code: string;
  message: string;
  /** what the user was doing, e.g. "Opening /videos/x.mp4" */
  context: string | null;
  level: 'error' | 'warning' | 'notice';
}

const NOTICE_MS = 6000;

export class ErrorsState {
  items = $state<ShownError[]>([]);
  #seq = 0;
  /** the notices' dismiss timers */
  #timers = new Disposers();

  push(err: unknown, context: string | null = null): void {
    const code = err instanceof ApiCallError ? err.code : 'INTERNAL';
    const message = err instanceof Error ? err.message : String(err);
    // the same failure twice in a row is one banner, not two
    const last = this.items.at(-1);
    if (last && last.code === code && last.message === message && last.context === context) return;
    this.items.push({ id: ++this.#seq, code, message, context, level: 'error' });
  }

  warn(message: string): void {
    this.items.push({ id: ++this.#seq, code: 'WARNING', message, context: null, level: 'warning' });
  }

  /** A refused edit: shown for a few seconds; the same notice again restarts its time. */
  notice(r: Refusal, context: string | null = null): void {
    this.items = this.items.filter((e) => !(e.level === 'notice' && e.code === r.code && e.message === r.message));
    const id = ++this.#seq;
    this.items.push({ id, code: r.code, message: r.message, context, level: 'notice' });
    this.#timers.timeout(() => this.dismiss(id), NOTICE_MS);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((e) => e.id !== id);
  }

  dispose(): void {
    this.#timers.dispose();
  }

  /** A successful open clears the errors of earlier attempts. */
  clearErrors(): void {
    this.items = this.items.filter((e) => e.level === 'warning');
  }
}
