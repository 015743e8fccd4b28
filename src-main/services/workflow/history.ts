// The undo/redo stacks of the project (docs/workflow.md): in memory, written to the project
// database after every change (`persist`, table undo_entries) so they survive a reopen; their
// bulky part (the before/after content of touched cells) is in undo_cells. A new action drops
// the redo branch; the oldest entries fall off past `limit`. Dropped entries are handed to
// `discard` so their stored cells (and objects only they could bring back) can go.
import type { ObjectPatch } from '../../core/store';

export type UndoEntry =
  /** prompt calls and propagation runs: cells captured in undo_cells under this id */
  | { kind: 'cells'; id: number; label: string; objectIds: number[] }
  | { kind: 'object-add'; id: number; label: string; objectId: number }
  /** objects made together with their mask prompts (segment.keep): undo soft-deletes them all */
  | { kind: 'objects-add'; id: number; label: string; objectIds: number[] }
  | { kind: 'object-update'; id: number; label: string; objectId: number; before: ObjectPatch; after: ObjectPatch }
  | { kind: 'object-remove'; id: number; label: string; objectId: number };

export interface DroppedEntries {
  /** undone entries that can no longer be redone */
  redoBranch: UndoEntry[];
  /** the oldest entries, past the limit */
  overflow: UndoEntry[];
}

export const UNDO_LIMIT = 100;

export class UndoHistory {
  private readonly undoStack: UndoEntry[] = [];
  private readonly redoStack: UndoEntry[] = [];

  constructor(
    private nextId: number,
    private readonly discard: (d: DroppedEntries) => void,
    private readonly limit = UNDO_LIMIT,
    private readonly persist: (stacks: { undo: UndoEntry[]; redo: UndoEntry[] }) => void = () => {},
    saved: { undo: UndoEntry[]; redo: UndoEntry[] } = { undo: [], redo: [] },
  ) {
    this.undoStack.push(...saved.undo.slice(-limit));
    this.redoStack.push(...saved.redo);
    for (const e of [...this.undoStack, ...this.redoStack]) this.nextId = Math.max(this.nextId, e.id + 1);
  }

  private save(): void {
    this.persist({ undo: [...this.undoStack], redo: [...this.redoStack] });
  }

  /** A fresh entry id (cells are captured under it before the entry is pushed). */
  newId(): number {
    return this.nextId++;
  }

  push(e: UndoEntry): void {
    const redoBranch = this.redoStack.splice(0);
    this.undoStack.push(e);
    const overflow = this.undoStack.length > this.limit ? this.undoStack.splice(0, this.undoStack.length - this.limit) : [];
    if (redoBranch.length || overflow.length) this.discard({ redoBranch, overflow });
    this.save();
  }

  peekUndo(): UndoEntry | null {
    return this.undoStack.at(-1) ?? null;
  }

  peekRedo(): UndoEntry | null {
    return this.redoStack.at(-1) ?? null;
  }

  /** Call once the entry's undo has been applied. */
  movedToRedo(e: UndoEntry): void {
    if (this.undoStack.at(-1) !== e) throw new Error('internal: undo applied to an entry that is not on top');
    this.undoStack.pop();
    this.redoStack.push(e);
    this.save();
  }

  /** Call once the entry's redo has been applied. */
  movedToUndo(e: UndoEntry): void {
    if (this.redoStack.at(-1) !== e) throw new Error('internal: redo applied to an entry that is not on top');
    this.redoStack.pop();
    this.undoStack.push(e);
    this.save();
  }

  /** Forget every entry (an import rewrote cells the entries captured): nothing to undo or redo. */
  clear(): void {
    const redoBranch = this.redoStack.splice(0);
    const overflow = this.undoStack.splice(0);
    if (redoBranch.length || overflow.length) this.discard({ redoBranch, overflow });
    this.save();
  }

  state(): { canUndo: boolean; canRedo: boolean; undoLabel: string | null; redoLabel: string | null } {
    const u = this.peekUndo();
    const r = this.peekRedo();
    return { canUndo: u !== null, canRedo: r !== null, undoLabel: u?.label ?? null, redoLabel: r?.label ?? null };
  }
}

const isIds = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => Number.isInteger(x) && x > 0);

/** A saved entry as the workflow wrote it, or null (a damaged or foreign row is left out). */
export function parseEntry(v: unknown): UndoEntry | null {
  if (typeof v !== 'object' || v === null) return null;
  const e = v as Record<string, unknown>;
  if (!Number.isInteger(e.id) || typeof e.label !== 'string') return null;
  switch (e.kind) {
    case 'cells':
    case 'objects-add':
      return isIds(e.objectIds) ? (e as unknown as UndoEntry) : null;
    case 'object-add':
    case 'object-remove':
      return Number.isInteger(e.objectId) ? (e as unknown as UndoEntry) : null;
    case 'object-update':
      return Number.isInteger(e.objectId) && typeof e.before === 'object' && typeof e.after === 'object' ? (e as unknown as UndoEntry) : null;
    default:
      return null;
  }
}
