import { describe, expect, it } from 'vitest';
import { isEditableTarget, keyAction, KEY_HELP, type KeyInput } from '../../../src-renderer/src/lib/keymap';

const k = (key: string, mods: Partial<KeyInput> = {}): KeyInput => ({
  key,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  editable: false,
  ...mods,
});

describe('keyAction', () => {
  const cases: [string, KeyInput, ReturnType<typeof keyAction>][] = [
    ['→ steps +1', k('ArrowRight'), { type: 'step', by: 1 }],
    ['← steps -1', k('ArrowLeft'), { type: 'step', by: -1 }],
    ['Shift+→ steps +10', k('ArrowRight', { shiftKey: true }), { type: 'step', by: 10 }],
    ['Shift+← steps -10', k('ArrowLeft', { shiftKey: true }), { type: 'step', by: -10 }],
    ['Home', k('Home'), { type: 'home' }],
    ['End', k('End'), { type: 'end' }],
    ['Space toggles', k(' '), { type: 'togglePlay' }],
    ['held Space does not repeat', k(' ', { repeat: true }), null],
    ['F fits', k('f'), { type: 'fit' }],
    ['+ zooms in', k('+'), { type: 'zoom', factor: 1.25 }],
    ['- zooms out', k('-'), { type: 'zoom', factor: 0.8 }],
    ['typing in a field is left alone', k('ArrowRight', { editable: true }), null],
    ['Space in a field is left alone', k(' ', { editable: true }), null],
    ['Ctrl+→ belongs to the system', k('ArrowRight', { ctrlKey: true }), null],
    ['Alt+← (history back) is left alone', k('ArrowLeft', { altKey: true }), null],
    ['Cmd+End is left alone', k('End', { metaKey: true }), null],
    ['other keys do nothing', k('a'), null],
    ['1 selects the first object', k('1'), { type: 'selectObject', index: 0 }],
    ['9 selects the ninth object', k('9'), { type: 'selectObject', index: 8 }],
    ['0 is not an object key', k('0'), null],
    ['N adds an object', k('n'), { type: 'addObject' }],
    ['N with Caps Lock adds an object', k('N'), { type: 'addObject' }],
    ['a held N adds only one', k('n', { repeat: true }), null],
    ['M toggles overlays', k('m'), { type: 'toggleOverlays' }],
    ['Shift+O toggles outline mode', k('O', { shiftKey: true }), { type: 'toggleOutline' }],
    ['O sets the out marker', k('o'), { type: 'marker', which: 'out' }],
    ['I sets the in marker', k('i'), { type: 'marker', which: 'in' }],
    ['X clears the markers', k('x'), { type: 'clearMarkers' }],
    ['P propagates forward', k('p'), { type: 'propagate', direction: 'forward' }],
    ['Shift+P propagates backward', k('P', { shiftKey: true }), { type: 'propagate', direction: 'backward' }],
    ['a held P starts nothing twice', k('p', { repeat: true }), null],
    ['R re-propagates from here', k('r'), { type: 'repropagate' }],
    ['[ previous prompted frame', k('['), { type: 'promptedFrame', by: -1 }],
    ['[ with a paint tool: smaller brush', k('[', { painting: true }), { type: 'brushSize', by: -1 }],
    ['] with a paint tool: bigger brush', k(']', { painting: true }), { type: 'brushSize', by: 1 }],
    ['V click/box prompts', k('v'), { type: 'tool', mode: 'prompt' }],
    ['B brush', k('b'), { type: 'tool', mode: 'brush' }],
    ['E eraser', k('e'), { type: 'tool', mode: 'eraser' }],
    ['G polygon', k('g'), { type: 'tool', mode: 'polygon' }],
    ['Enter closes a polygon', k('Enter', { painting: true }), { type: 'closePolygon', subtract: false }],
    ['Shift+Enter closes it subtracting', k('Enter', { painting: true, shiftKey: true }), { type: 'closePolygon', subtract: true }],
    ['Enter without a paint tool does nothing', k('Enter'), null],
    ['] next prompted frame', k(']'), { type: 'promptedFrame', by: 1 }],
    ['L next low-confidence frame', k('l'), { type: 'nextLowConfidence' }],
    ['Tab cycles candidates', k('Tab'), { type: 'cycleCandidate', by: 1 }],
    ['Shift+Tab cycles back', k('Tab', { shiftKey: true }), { type: 'cycleCandidate', by: -1 }],
    ['Delete clears the frame prompts', k('Delete'), { type: 'clearFramePrompts' }],
    ['Backspace too', k('Backspace'), { type: 'clearFramePrompts' }],
    ['Escape', k('Escape'), { type: 'escape' }],
    ['? opens help', k('?', { shiftKey: true }), { type: 'help' }],
    ['Ctrl+Z undoes', k('z', { ctrlKey: true }), { type: 'undo' }],
    ['Cmd+Z undoes', k('z', { metaKey: true }), { type: 'undo' }],
    ['Ctrl+Shift+Z redoes', k('Z', { ctrlKey: true, shiftKey: true }), { type: 'redo' }],
    ['Ctrl+Y redoes', k('y', { ctrlKey: true }), { type: 'redo' }],
    ["Ctrl+Alt+Z is the system's", k('z', { ctrlKey: true, altKey: true }), null],
    ["Ctrl+S is the system's", k('s', { ctrlKey: true }), null],
    ["Ctrl+Z in a text field is the field's undo", k('z', { ctrlKey: true, editable: true }), null],
    ['digits in a text field are typing', k('3', { editable: true }), null],
    ['N in a text field is typing', k('n', { editable: true }), null],
    ['Delete in a text field is typing', k('Delete', { editable: true }), null],
  ];
  it.each(cases)('%s', (_n, input, expected) => expect(keyAction(input)).toEqual(expected));
});

describe('isEditableTarget', () => {
  const cases: [string, unknown, boolean][] = [
    ['text input', { tagName: 'INPUT', type: 'text' }, true],
    ['input without type', { tagName: 'input' }, true],
    ['range input', { tagName: 'INPUT', type: 'range' }, true],
    ['checkbox', { tagName: 'INPUT', type: 'checkbox' }, false],
    ['button-type input', { tagName: 'INPUT', type: 'button' }, false],
    ['textarea', { tagName: 'TEXTAREA' }, true],
    ['select', { tagName: 'SELECT' }, true],
    ['contenteditable div', { tagName: 'DIV', isContentEditable: true }, true],
    ['canvas', { tagName: 'CANVAS' }, false],
    ['window (no tag)', {}, false],
    ['null', null, false],
  ];
  it.each(cases)('%s → %s', (_n, t, e) => expect(isEditableTarget(t as EventTarget)).toBe(e));
});

describe('KEY_HELP', () => {
  it('lists every key once, each with a description', () => {
    const keys = KEY_HELP.map((r) => r.keys);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of KEY_HELP) expect(r.what.length, r.keys).toBeGreaterThan(3);
  });

  // issue 13 (15): the help says what the code does — every listed press gives the listed action
  it.each(KEY_HELP.filter((r) => r.presses.length).map((r) => [r.keys, r] as const))('%s does what the help says', (_k, r) => {
    const got = r.presses.map((p) => keyAction(k(p.key, p))?.type ?? null);
    for (const t of got) expect(r.actions, `${r.keys}: ${JSON.stringify(got)}`).toContain(t);
    // and every action the row names is reached by one of its presses
    for (const a of r.actions) expect(got, r.keys).toContain(a);
  });

  it('lists every key the key map acts on (no hidden bindings)', () => {
    // a key is listed when the help names it (either Shift state: symbols and Home ignore Shift)
    // with the same Ctrl and the same action
    const listed = new Set(KEY_HELP.flatMap((r) => r.presses.map((p) => `${p.key.toLowerCase()}|${!!p.ctrlKey}|${keyAction(k(p.key, p))?.type}`)));
    const named = [
      'ArrowLeft',
      'ArrowRight',
      'ArrowUp',
      'ArrowDown',
      'Home',
      'End',
      'PageUp',
      'PageDown',
      'Tab',
      'Delete',
      'Backspace',
      'Escape',
      'Enter',
      'Insert',
      'F1',
      'F5',
      'F11',
      'Spacebar',
    ];
    const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
    const unlisted: string[] = [];
    for (const key of [...printable, ...named]) {
      for (const shiftKey of [false, true]) {
        for (const ctrlKey of [false, true]) {
          const a = keyAction(k(key, { shiftKey, ctrlKey }));
          if (!a) continue;
          const id = `${key.toLowerCase()}|${ctrlKey}|${a.type}`;
          if (!listed.has(id) && key !== 'Spacebar') unlisted.push(`${shiftKey ? 'Shift+' : ''}${ctrlKey ? 'Ctrl+' : ''}${key} → ${a.type}`);
        }
      }
    }
    expect(unlisted).toEqual([]);
  });

  it('does not claim that a double-click fits the frame (it is two points)', () => {
    expect(KEY_HELP.some((r) => /double/i.test(r.keys))).toBe(false);
  });
});
