import { describe, expect, it } from 'vitest';
import {
  historyRefusal,
  promptRefusal,
  propagateRefusal,
  removeQuestion,
  type EditContext,
  type ObjectContext,
} from '../../../src-renderer/src/lib/edit-rules';

const ok: EditContext = { hasProject: true, engine: { state: 'ready', error: null }, busy: null };
const obj: ObjectContext = { name: 'Car', locked: false, hidden: false };

describe('promptRefusal', () => {
  const cases: [string, EditContext, ObjectContext | null, string | null, RegExp?][] = [
    ['allowed', ok, obj, null],
    ['allowed with no object yet (one is created)', ok, null, null],
    ['no project', { ...ok, hasProject: false }, obj, 'NO_PROJECT'],
    ['propagation running', { ...ok, busy: { kind: 'propagate' } }, obj, 'BUSY', /A propagation is running: prompting waits.*nothing was changed/],
    ['a labelled job running', { ...ok, busy: { kind: 'export', label: 'Export to /tmp/x' } }, obj, 'BUSY', /Export to \/tmp\/x is running/],
    ['no pack', { ...ok, engine: { state: 'none', error: null } }, obj, 'NO_MODEL', /open Models/],
    ['loading', { ...ok, engine: { state: 'loading', error: null } }, obj, 'ENGINE_LOADING'],
    ['failed, with the reason', { ...ok, engine: { state: 'failed', error: 'graph x is missing' } }, obj, 'ENGINE_FAILED', /graph x is missing/],
    ['engine unknown yet is not a refusal (the services answer)', { ...ok, engine: null }, obj, null],
    ['locked object', ok, { ...obj, locked: true }, 'LOCKED', /Car is locked/],
    ['hidden object', ok, { ...obj, hidden: true }, 'HIDDEN', /Car is hidden/],
    ['busy wins over locked', { ...ok, busy: { kind: 'propagate' } }, { ...obj, locked: true }, 'BUSY'],
  ];
  it.each(cases)('%s', (_n, c, o, code, msg) => {
    const r = promptRefusal(c, o);
    expect(r?.code ?? null).toBe(code);
    if (msg) expect(r!.message).toMatch(msg);
  });
});

describe('historyRefusal / propagateRefusal / removeQuestion', () => {
  it('undo/redo', () => {
    expect(historyRefusal(ok, 'undo', true)).toBeNull();
    expect(historyRefusal(ok, 'undo', false)?.code).toBe('NOTHING_TO_UNDO');
    expect(historyRefusal(ok, 'redo', false)?.message).toBe('There is nothing to redo.');
    expect(historyRefusal({ ...ok, busy: { kind: 'propagate' } }, 'undo', true)?.message).toMatch(/undo waits/);
  });
  it('propagation needs prompts, the model and no other run', () => {
    expect(propagateRefusal(ok, 3)).toBeNull();
    expect(propagateRefusal(ok, 0)?.code).toBe('NO_PROMPTS');
    expect(propagateRefusal({ ...ok, busy: { kind: 'propagate' } }, 3)?.code).toBe('BUSY');
    expect(propagateRefusal({ ...ok, engine: { state: 'none', error: null } }, 3)?.code).toBe('NO_MODEL');
  });
  it('deleting an object during a propagation asks first, saying the run stops and its frames stay', () => {
    expect(removeQuestion(ok, 'Car')).toBeNull();
    expect(removeQuestion({ ...ok, busy: { kind: 'propagate' } }, 'Car')).toBe(
      'A propagation is running. Deleting Car cancels it first; the frames it has done are kept. Delete Car?',
    );
    expect(removeQuestion({ ...ok, busy: { kind: 'repropagate' } }, 'Car')).toMatch(/^A re-propagation is running/);
  });
});
