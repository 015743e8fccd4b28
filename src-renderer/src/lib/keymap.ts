// Keyboard → player action, as a pure decision (the component only forwards events).
// Space is play/pause only; panning uses the middle button or Alt+drag, so no key is
// overloaded (see docs/app-shell.md, "Key bindings").

export type KeyAction =
  | { type: 'step'; by: number }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'togglePlay' }
  | { type: 'fit' }
  | { type: 'zoom'; factor: number };

export interface KeyInput {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** the event target is a text field, select or contenteditable: keys belong to it */
  editable: boolean;
  repeat?: boolean;
}

export const BIG_STEP = 10;

export function keyAction(k: KeyInput): KeyAction | null {
  if (k.editable || k.ctrlKey || k.metaKey || k.altKey) return null;
  switch (k.key) {
    case 'ArrowRight':
      return { type: 'step', by: k.shiftKey ? BIG_STEP : 1 };
    case 'ArrowLeft':
      return { type: 'step', by: k.shiftKey ? -BIG_STEP : -1 };
    case 'Home':
      return { type: 'home' };
    case 'End':
      return { type: 'end' };
    case ' ':
    case 'Spacebar':
      // a held Space must not flicker between play and pause
      return k.repeat ? null : { type: 'togglePlay' };
    case 'f':
    case 'F':
      return k.shiftKey ? null : { type: 'fit' };
    case '+':
    case '=':
      return { type: 'zoom', factor: 1.25 };
    case '-':
    case '_':
      return { type: 'zoom', factor: 0.8 };
    default:
      return null;
  }
}

/** True for targets whose keys must not drive the player. */
export function isEditableTarget(t: EventTarget | null): boolean {
  const el = t as { tagName?: string; isContentEditable?: boolean; type?: string } | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  // buttons and checkboxes don't take typing; let the player keys through
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'color'].includes(el.type ?? 'text');
}
