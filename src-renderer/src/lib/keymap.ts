// Keyboard → action, as a pure decision (the component only forwards events).
// Space is play/pause only; panning uses the middle button or Alt+drag, so no key is
// overloaded (see docs/app-shell.md and docs/ui.md, "Keys"). Ctrl/Cmd combinations are the
// system's except undo/redo; Alt combinations are the system's (browser history etc.).

export type KeyAction =
  | { type: 'step'; by: number }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'togglePlay' }
  | { type: 'fit' }
  | { type: 'zoom'; factor: number }
  | { type: 'selectObject'; index: number }
  | { type: 'addObject' }
  | { type: 'toggleOverlays' }
  | { type: 'toggleOutline' }
  | { type: 'cycleCandidate'; by: 1 | -1 }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'marker'; which: 'in' | 'out' }
  | { type: 'clearMarkers' }
  | { type: 'propagate'; direction: 'forward' | 'backward' }
  | { type: 'repropagate' }
  | { type: 'promptedFrame'; by: 1 | -1 }
  | { type: 'nextLowConfidence' }
  | { type: 'clearFramePrompts' }
  | { type: 'segment' }
  | { type: 'tool'; mode: 'prompt' | 'brush' | 'eraser' | 'polygon' }
  | { type: 'brushSize'; by: 1 | -1 }
  | { type: 'closePolygon'; subtract: boolean }
  | { type: 'escape' }
  | { type: 'help' };

export interface KeyInput {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** the event target is a text field, select or contenteditable: keys belong to it */
  editable: boolean;
  repeat?: boolean;
  /** a paint tool (brush, eraser, polygon) is active: [ / ] size the brush instead of jumping */
  painting?: boolean;
}

export const BIG_STEP = 10;

export function keyAction(k: KeyInput): KeyAction | null {
  if (k.editable) return null;
  if (k.ctrlKey || k.metaKey) return k.altKey ? null : commandAction(k);
  if (k.altKey) return null;
  const key = k.key.length === 1 ? k.key.toLowerCase() : k.key;
  switch (key) {
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
      return k.shiftKey ? null : { type: 'fit' };
    case '+':
    case '=':
      return { type: 'zoom', factor: 1.25 };
    case '-':
    case '_':
      return { type: 'zoom', factor: 0.8 };
    case 'n':
      return k.shiftKey || k.repeat ? null : { type: 'addObject' };
    case 'm':
      return k.shiftKey || k.repeat ? null : { type: 'toggleOverlays' };
    case 'o':
      // O sets the out marker; Shift+O switches outline mode
      return k.repeat ? null : k.shiftKey ? { type: 'toggleOutline' } : { type: 'marker', which: 'out' };
    case 'i':
      return k.shiftKey ? null : { type: 'marker', which: 'in' };
    case 'x':
      return k.shiftKey ? null : { type: 'clearMarkers' };
    case 'p':
      return k.repeat ? null : { type: 'propagate', direction: k.shiftKey ? 'backward' : 'forward' };
    case 'r':
      return k.shiftKey || k.repeat ? null : { type: 'repropagate' };
    case '[':
      return k.painting ? { type: 'brushSize', by: -1 } : { type: 'promptedFrame', by: -1 };
    case ']':
      return k.painting ? { type: 'brushSize', by: 1 } : { type: 'promptedFrame', by: 1 };
    case 'v':
      return k.shiftKey ? null : { type: 'tool', mode: 'prompt' };
    case 'b':
      return k.shiftKey ? null : { type: 'tool', mode: 'brush' };
    case 'e':
      return k.shiftKey ? null : { type: 'tool', mode: 'eraser' };
    case 'g':
      return k.shiftKey ? null : { type: 'tool', mode: 'polygon' };
    case 'Enter':
      return k.painting ? { type: 'closePolygon', subtract: k.shiftKey } : null;
    case 'l':
      return k.shiftKey ? null : { type: 'nextLowConfidence' };
    case 's':
      return k.shiftKey || k.repeat ? null : { type: 'segment' };
    case 'Tab':
      return { type: 'cycleCandidate', by: k.shiftKey ? -1 : 1 };
    case 'Delete':
    case 'Backspace':
      return k.repeat ? null : { type: 'clearFramePrompts' };
    case 'Escape':
      return { type: 'escape' };
    case '?':
      return { type: 'help' };
    default:
      if (/^[1-9]$/.test(key) && !k.shiftKey) return { type: 'selectObject', index: Number(key) - 1 };
      return null;
  }
}

/** Ctrl (Cmd on macOS) + key: only undo and redo are ours. */
function commandAction(k: KeyInput): KeyAction | null {
  const key = k.key.toLowerCase();
  if (key === 'z') return k.shiftKey ? { type: 'redo' } : { type: 'undo' };
  if (key === 'y' && !k.shiftKey) return { type: 'redo' };
  return null;
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

/** The key table shown in the "?" help overlay and docs/ui.md (one source for both lists). */
export const KEY_HELP: readonly [keys: string, what: string][] = [
  ['← / →', 'previous / next frame'],
  ['Shift+← / Shift+→', '10 frames back / forward'],
  ['Home / End', 'first / last frame'],
  ['Space', 'play / pause'],
  ['F, double-click', 'fit the frame to the window'],
  ['+ / −, wheel', 'zoom'],
  ['Middle drag, Alt+drag', 'pan the view'],
  ['Click', 'positive point for the selected object'],
  ['Right click, Alt+click', 'negative point'],
  ['Drag', 'box prompt'],
  ['Tab / Shift+Tab', 'cycle the mask candidates of a single click'],
  ['1 … 9', 'select object 1 … 9'],
  ['N', 'new object'],
  ['M', 'show / hide all overlays'],
  ['Shift+O', 'outline-only overlays'],
  ['I / O', 'set the in / out marker at the current frame'],
  ['X', 'clear the in / out markers'],
  ['P / Shift+P', 'propagate forward / backward from the current frame'],
  ['R', 're-propagate from the current frame'],
  ['[ / ]', 'previous / next prompted frame; with a paint tool: brush size smaller / bigger'],
  ['V / B / E / G', 'click/box prompts / brush / eraser / polygon'],
  ['Ctrl+wheel (paint tools)', 'brush size'],
  ['Drag (brush, eraser)', "paint into / erase from the selected object's mask (right drag erases)"],
  ['Click (polygon)', 'add a vertex; click the first one, Enter or right click fills it (Shift: subtracts)'],
  ['L', 'next low-confidence frame'],
  ['Delete', "clear the selected object's prompts on this frame"],
  ['S', 'Segment everything on this frame (its panel; Esc leaves it)'],
  ['Click (Segment everything)', 'keep / drop the proposal under the pointer'],
  ['Ctrl+Z', 'undo'],
  ['Ctrl+Shift+Z, Ctrl+Y', 'redo'],
  ['Escape', 'cancel a box drag or a polygon, close the open dialog, leave Segment everything'],
  ['?', 'this help'],
];
