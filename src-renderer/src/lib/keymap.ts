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

/** A key press as the help describes it (the modifiers not named are up). */
export type HelpPress = Pick<KeyInput, 'key'> & Partial<Pick<KeyInput, 'shiftKey' | 'ctrlKey' | 'painting'>>;

export interface HelpRow {
  keys: string;
  what: string;
  /** the presses the row stands for, each checked against keyAction by the key map's tests; none for mouse gestures */
  presses: readonly HelpPress[];
  /** the action(s) those presses give */
  actions: readonly KeyAction['type'][];
}

const row = (keys: string, what: string, actions: KeyAction['type'][], ...presses: HelpPress[]): HelpRow => ({ keys, what, presses, actions });
const mouse = (keys: string, what: string): HelpRow => ({ keys, what, presses: [], actions: [] });

/**
 * The key table shown in the "?" help overlay and docs/ui.md: one source for both, and the
 * tests press every listed key through keyAction (and every key keyAction knows must be listed),
 * so the help says what the code does. A double-click is two points: fitting is F only.
 */
export const KEY_HELP: readonly HelpRow[] = [
  row('← / →', 'previous / next frame', ['step'], { key: 'ArrowLeft' }, { key: 'ArrowRight' }),
  row('Shift+← / Shift+→', '10 frames back / forward', ['step'], { key: 'ArrowLeft', shiftKey: true }, { key: 'ArrowRight', shiftKey: true }),
  row('Home / End', 'first / last frame', ['home', 'end'], { key: 'Home' }, { key: 'End' }),
  row('Space', 'play / pause', ['togglePlay'], { key: ' ' }),
  row('F', 'fit the frame to the window', ['fit'], { key: 'f' }),
  row('+ / −, wheel', 'zoom', ['zoom'], { key: '+' }, { key: '=' }, { key: '-' }, { key: '_' }),
  mouse('Middle drag, Alt+drag', 'pan the view'),
  mouse('Click', 'positive point for the selected object'),
  mouse('Right click, Alt+click', 'negative point'),
  mouse('Drag', 'box prompt'),
  row('Tab / Shift+Tab', 'cycle the mask candidates of a single click', ['cycleCandidate'], { key: 'Tab' }, { key: 'Tab', shiftKey: true }),
  row('1 … 9', 'select object 1 … 9', ['selectObject'], ...'123456789'.split('').map((key) => ({ key }))),
  row('N', 'new object', ['addObject'], { key: 'n' }),
  row('M', 'show / hide all overlays', ['toggleOverlays'], { key: 'm' }),
  row('Shift+O', 'outline-only overlays', ['toggleOutline'], { key: 'O', shiftKey: true }),
  row('I / O', 'set the in / out marker at the current frame', ['marker'], { key: 'i' }, { key: 'o' }),
  row('X', 'clear the in / out markers', ['clearMarkers'], { key: 'x' }),
  row('P / Shift+P', 'propagate forward / backward from the current frame', ['propagate'], { key: 'p' }, { key: 'P', shiftKey: true }),
  row('R', 're-propagate from the current frame', ['repropagate'], { key: 'r' }),
  row(
    '[ / ]',
    'previous / next prompted frame; with a paint tool: brush size smaller / bigger',
    ['promptedFrame', 'brushSize'],
    { key: '[' },
    { key: ']' },
    { key: '[', painting: true },
    { key: ']', painting: true },
  ),
  row('V / B / E / G', 'click/box prompts / brush / eraser / polygon', ['tool'], { key: 'v' }, { key: 'b' }, { key: 'e' }, { key: 'g' }),
  mouse('Ctrl+wheel (paint tools)', 'brush size'),
  mouse('Drag (brush, eraser)', "paint into / erase from the selected object's mask (right drag erases)"),
  row(
    'Click (polygon)',
    'add a vertex; click the first one, Enter or right click fills it (Shift: subtracts)',
    ['closePolygon'],
    { key: 'Enter', painting: true },
    { key: 'Enter', painting: true, shiftKey: true },
  ),
  row('L', 'next low-confidence frame', ['nextLowConfidence'], { key: 'l' }),
  row('Delete', "clear the selected object's prompts on this frame", ['clearFramePrompts'], { key: 'Delete' }, { key: 'Backspace' }),
  row('S', 'Segment everything on this frame (its panel; Esc leaves it)', ['segment'], { key: 's' }),
  mouse('Click (Segment everything)', 'keep / drop the proposal under the pointer'),
  row('Ctrl+Z', 'undo', ['undo'], { key: 'z', ctrlKey: true }),
  row('Ctrl+Shift+Z, Ctrl+Y', 'redo', ['redo'], { key: 'Z', ctrlKey: true, shiftKey: true }, { key: 'y', ctrlKey: true }),
  row('Escape', 'cancel a box drag or a polygon, close the open dialog, leave Segment everything', ['escape'], { key: 'Escape' }),
  row('?', 'this help', ['help'], { key: '?', shiftKey: true }),
];
