import { describe, expect, it } from 'vitest';
import { isEditableTarget, keyAction, type KeyInput } from '../../../src-renderer/src/lib/keymap';

const k = (key: string, mods: Partial<KeyInput> = {}): KeyInput => ({ key, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, editable: false, ...mods });

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
