// Problems the user should see: failed calls (with the API's code) and start-up warnings.
import { ApiCallError } from '../../../src-main/api/errors';

export interface ShownError {
  id: number;
  code: string;
  message: string;
  /** what the user was doing, e.g. "Opening /videos/x.mp4" */
  context: string | null;
  level: 'error' | 'warning';
}

export class ErrorsState {
  items = $state<ShownError[]>([]);
  #seq = 0;

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

  dismiss(id: number): void {
    this.items = this.items.filter((e) => e.id !== id);
  }

  /** A successful open clears the errors of earlier attempts. */
  clearErrors(): void {
    this.items = this.items.filter((e) => e.level === 'warning');
  }
}
